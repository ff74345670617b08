//! The happy-eyeballs defaults are process-wide, and `ConnectOptions` made after a change
//! take the new values. Alone in its test binary (one test) because it changes them.

use nodenet::net::{self, ConnectOptions};

#[test]
fn connect_options_made_after_a_change_take_the_new_defaults_from_any_thread() {
    let before = ConnectOptions::default();
    assert!(before.auto_select_family);
    assert_eq!(before.auto_select_family_attempt_timeout, 250);

    net::set_default_auto_select_family(false);
    net::set_default_auto_select_family_attempt_timeout(3).expect("in range");
    let after = ConnectOptions::from(8080);
    assert!(!after.auto_select_family);
    assert_eq!(after.auto_select_family_attempt_timeout, 10);
    // Options made before the change keep what they were made with.
    assert!(before.auto_select_family);

    // Another thread (another loop) sees the same values: they are per process.
    let seen = std::thread::spawn(|| {
        (
            net::get_default_auto_select_family(),
            net::get_default_auto_select_family_attempt_timeout(),
            ConnectOptions::path("/tmp/x").auto_select_family,
        )
    })
    .join()
    .expect("thread");
    assert_eq!(seen, (false, 10, false));

    // A refused value leaves the default as it was.
    let e = net::set_default_auto_select_family_attempt_timeout(-5).unwrap_err();
    assert_eq!(e.code(), "ERR_OUT_OF_RANGE");
    assert_eq!(net::get_default_auto_select_family_attempt_timeout(), 10);

    net::set_default_auto_select_family_attempt_timeout(1000).expect("in range");
    assert_eq!(
        ConnectOptions::default().auto_select_family_attempt_timeout,
        1000
    );
    net::set_default_auto_select_family(true);
    net::set_default_auto_select_family_attempt_timeout(250).expect("in range");
    assert!(ConnectOptions::default().auto_select_family);
}
