//! The process-wide defaults of happy eyeballs: Node's `net.getDefaultAutoSelectFamily()`,
//! `net.setDefaultAutoSelectFamily()`, `net.getDefaultAutoSelectFamilyAttemptTimeout()` and
//! `net.setDefaultAutoSelectFamilyAttemptTimeout()`.
//!
//! Node keeps two module-level values: whether a connect to a host name tries every
//! address it resolves to (`autoSelectFamily`, initially `true`), and how long each
//! attempt gets before the next one starts (`autoSelectFamilyAttemptTimeout`, initially
//! 250 ms). A connect that does not set the option itself takes the current value. The
//! timeout setter refuses anything that is not an integer from 1 to 2^31 - 1 with
//! `ERR_OUT_OF_RANGE`, and raises 1 to 9 to 10, the smallest timeout Node uses.
//!
//! Here the two values are atomics, so they are shared by every thread of the process,
//! every loop included (Node's are per process, or per worker thread). They are read when
//! a [`ConnectOptions`](super::ConnectOptions) is made with `Default::default()` (which
//! the `From` conversions and [`connect`](super::connect) with a port use), where Node
//! reads them when `connect()` looks the host up: options built before a change keep the
//! values they were built with.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use crate::error::Error;
use crate::net::address::AddressError;

/// Node's initial `autoSelectFamilyAttemptTimeout`, in milliseconds.
pub const INITIAL_ATTEMPT_TIMEOUT: u32 = 250;

/// The smallest attempt timeout Node uses: a smaller one is raised to it.
pub const MIN_ATTEMPT_TIMEOUT: u32 = 10;

static AUTO_SELECT_FAMILY: AtomicBool = AtomicBool::new(true);
static ATTEMPT_TIMEOUT: AtomicU32 = AtomicU32::new(INITIAL_ATTEMPT_TIMEOUT);

/// The current default of [`ConnectOptions::auto_select_family`](super::ConnectOptions)
/// (Node's `net.getDefaultAutoSelectFamily()`); `true` until changed.
///
/// ```
/// assert!(nodenet::net::get_default_auto_select_family());
/// ```
pub fn get_default_auto_select_family() -> bool {
    AUTO_SELECT_FAMILY.load(Ordering::Relaxed)
}

/// Set the default of [`ConnectOptions::auto_select_family`](super::ConnectOptions) for
/// every connect made from now on, in the whole process (Node's
/// `net.setDefaultAutoSelectFamily(value)`).
///
/// ```
/// use nodenet::net::{self, ConnectOptions};
///
/// net::set_default_auto_select_family(false);
/// assert!(!net::get_default_auto_select_family());
/// assert!(!ConnectOptions::default().auto_select_family);
/// net::set_default_auto_select_family(true);
/// ```
pub fn set_default_auto_select_family(value: bool) {
    AUTO_SELECT_FAMILY.store(value, Ordering::Relaxed);
}

/// The current default of
/// [`ConnectOptions::auto_select_family_attempt_timeout`](super::ConnectOptions), in
/// milliseconds (Node's `net.getDefaultAutoSelectFamilyAttemptTimeout()`); 250 until
/// changed.
///
/// ```
/// assert_eq!(nodenet::net::get_default_auto_select_family_attempt_timeout(), 250);
/// ```
pub fn get_default_auto_select_family_attempt_timeout() -> u32 {
    ATTEMPT_TIMEOUT.load(Ordering::Relaxed)
}

/// Set the default per-attempt timeout of happy eyeballs, in milliseconds, for every
/// connect made from now on, in the whole process (Node's
/// `net.setDefaultAutoSelectFamilyAttemptTimeout(value)`).
///
/// As in Node, `value` must be from 1 to 2147483647 (`i32::MAX`), else the call fails with
/// `ERR_OUT_OF_RANGE` and the default is unchanged; 1 to 9 are stored as 10.
///
/// ```
/// use nodenet::net;
///
/// assert_eq!(
///     net::set_default_auto_select_family_attempt_timeout(0).unwrap_err().code(),
///     "ERR_OUT_OF_RANGE"
/// );
/// net::set_default_auto_select_family_attempt_timeout(5)?;
/// assert_eq!(net::get_default_auto_select_family_attempt_timeout(), 10);
/// net::set_default_auto_select_family_attempt_timeout(250)?;
/// # Ok::<(), nodenet::Error>(())
/// ```
pub fn set_default_auto_select_family_attempt_timeout(value: i64) -> Result<(), Error> {
    let ms = checked_attempt_timeout(value)?;
    ATTEMPT_TIMEOUT.store(ms, Ordering::Relaxed);
    Ok(())
}

/// The timeout a setter stores for `value`, or Node's `ERR_OUT_OF_RANGE` for it.
pub(crate) fn checked_attempt_timeout(value: i64) -> Result<u32, Error> {
    let max = i64::from(i32::MAX);
    if !(1..=max).contains(&value) {
        let e = AddressError::out_of_range("value", 1, max, value);
        return Err(Error::node("ERR_OUT_OF_RANGE", e.message));
    }
    // In range, so it fits; 1..=9 become the minimum.
    Ok((value as u32).max(MIN_ATTEMPT_TIMEOUT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attempt_timeout_rule_raises_small_values_and_refuses_out_of_range_ones() {
        assert_eq!(checked_attempt_timeout(1).ok(), Some(10));
        assert_eq!(checked_attempt_timeout(9).ok(), Some(10));
        assert_eq!(checked_attempt_timeout(10).ok(), Some(10));
        assert_eq!(checked_attempt_timeout(11).ok(), Some(11));
        assert_eq!(
            checked_attempt_timeout(i64::from(i32::MAX)).ok(),
            Some(i32::MAX as u32)
        );
        for bad in [0, -1, i64::from(i32::MAX) + 1, i64::MIN, i64::MAX] {
            let e = checked_attempt_timeout(bad).unwrap_err();
            assert_eq!(e.code(), "ERR_OUT_OF_RANGE", "{bad}");
        }
    }

    #[test]
    fn the_out_of_range_message_reads_as_node_prints_it() {
        let e = checked_attempt_timeout(0).unwrap_err();
        assert_eq!(
            e.message(),
            "The value of \"value\" is out of range. It must be >= 1 && <= 2147483647. \
             Received 0"
        );
        let e = checked_attempt_timeout(-1).unwrap_err();
        assert!(e.message().ends_with("Received -1"), "{}", e.message());
    }
}
