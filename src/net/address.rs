//! IP address helpers and [`SocketAddress`], after Node's `net.isIP`,
//! `net.isIPv4`, `net.isIPv6` and `net.SocketAddress`.
//!
//! The accepted syntax and the text forms follow Node 24 (checked against a
//! real `node` binary):
//!
//! * [`is_ip`] accepts dotted-quad IPv4 without leading zeros, and IPv6 text
//!   (with `::` standing for at least one zero group, an optional dotted IPv4
//!   tail, and an optional `%zone` made of `[0-9A-Za-z.:-]`).
//! * [`SocketAddress`] parses addresses the way libuv does (`inet_pton`): a
//!   zone id is accepted with any content and then dropped from the text form,
//!   and the text form is libuv's (`::ffff:1.2.3.4`, `::1.2.3.4`, `1::`).
//! * [`SocketAddress::parse`] reads `host[:port]` as the authority of an
//!   `http://` URL, so it accepts the WHATWG forms of IPv4 (`0x7f.1`, `256`),
//!   and reports the HTTP default port 80 as port 0, as Node does.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::str::FromStr;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// An argument-validation error carrying a Node.js error code.
///
/// `code` is the `code` property Node puts on the error it throws for the
/// same input (`ERR_INVALID_ADDRESS`, `ERR_INVALID_ARG_VALUE`,
/// `ERR_INVALID_ARG_TYPE`, `ERR_SOCKET_BAD_PORT`, `ERR_OUT_OF_RANGE`). Where
/// Node throws an error without a code (a `SyntaxError` from `JSON.parse`),
/// `code` holds the JavaScript error class name instead.
///
/// ```
/// use nodenet::net::address::{SocketAddress, SocketAddressOptions};
///
/// let err = SocketAddress::new(&SocketAddressOptions::new().port(65536)).unwrap_err();
/// assert_eq!(err.code, "ERR_SOCKET_BAD_PORT");
/// assert_eq!(
///     err.to_string(),
///     "options.port should be >= 0 and < 65536. Received type number (65536)."
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressError {
    /// Node's error code, e.g. `"ERR_INVALID_ARG_VALUE"`.
    pub code: &'static str,
    /// Human-readable message, shaped like Node's.
    pub message: String,
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AddressError {}

impl AddressError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        AddressError {
            code,
            message: message.into(),
        }
    }

    /// `ERR_INVALID_ADDRESS`: the text is not an address of the family.
    pub(crate) fn invalid_address() -> Self {
        AddressError::new("ERR_INVALID_ADDRESS", "Invalid socket address")
    }

    /// `ERR_INVALID_ARG_VALUE` for a property (`options.family`).
    pub(crate) fn invalid_property_value(name: &str, received: &str) -> Self {
        AddressError::new(
            "ERR_INVALID_ARG_VALUE",
            format!(
                "The property '{name}' is invalid. Received {}",
                inspect_str(received)
            ),
        )
    }

    /// `ERR_OUT_OF_RANGE` for an integer outside `[min, max]`.
    pub(crate) fn out_of_range(name: &str, min: i64, max: i64, received: i64) -> Self {
        AddressError::new(
            "ERR_OUT_OF_RANGE",
            format!(
                "The value of \"{name}\" is out of range. It must be >= {min} && <= {max}. Received {}",
                with_numeric_separators(received)
            ),
        )
    }
}

// ---------------------------------------------------------------------------
// Small helpers that reproduce the way Node prints values in messages
// ---------------------------------------------------------------------------

/// Formats `n` the way JavaScript's `Number.prototype.toString()` does.
pub(crate) fn js_number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        // `String(-0)` is "0"; callers that want "-0" check for it.
        return "0".into();
    }
    // `{:e}` gives the shortest round-tripping digits, like JavaScript.
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').expect("exponent form");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n_exp: i32 = exp.parse::<i32>().expect("exponent") + 1;
    let mut out = String::new();
    if n < 0.0 {
        out.push('-');
    }
    if k <= n_exp && n_exp <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n_exp - k) as usize));
    } else if 0 < n_exp && n_exp <= 21 {
        out.push_str(&digits[..n_exp as usize]);
        out.push('.');
        out.push_str(&digits[n_exp as usize..]);
    } else if -6 < n_exp && n_exp <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n_exp) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n_exp - 1 < 0 { '-' } else { '+' });
        out.push_str(&(n_exp - 1).abs().to_string());
    }
    out
}

/// Node prints integers above 2^32 in range errors as `1_099_511_627_776`.
pub(crate) fn with_numeric_separators(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    if n.unsigned_abs() <= 1 << 32 {
        return n.to_string();
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('_');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A string quoted and escaped roughly the way `util.inspect` shows it.
pub(crate) fn inspect_str(s: &str) -> String {
    let quote = if !s.contains('\'') {
        '\''
    } else if !s.contains('"') {
        '"'
    } else if !s.contains('`') && !s.contains("${") {
        '`'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    if out.chars().count() > 128 {
        let cut: String = out.chars().take(128).collect();
        return format!("{cut}...");
    }
    out
}

/// A string escaped as `JSON.stringify` does (with the quotes).
pub(crate) fn json_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How Node's `ERR_SOCKET_BAD_PORT` (and similar) messages describe a string.
pub(crate) fn describe_string(s: &str) -> String {
    let shown: String = if s.chars().count() > 28 {
        let mut t: String = s.chars().take(25).collect();
        t.push_str("...");
        t
    } else {
        s.to_string()
    };
    if shown.contains('\'') {
        format!("type string ({})", json_quote(&shown))
    } else {
        format!("type string ('{shown}')")
    }
}

/// How Node's messages describe a number: `type number (1.5)`.
fn describe_number(n: f64) -> String {
    if n == 0.0 && n.is_sign_negative() {
        "type number (-0)".into()
    } else {
        format!("type number ({})", js_number_to_string(n))
    }
}

// ---------------------------------------------------------------------------
// isIP
// ---------------------------------------------------------------------------

/// Strict dotted-quad IPv4: exactly four decimal parts, each 0–255, with no
/// leading zeros. This is both Node's `isIPv4` and libuv's `inet_pton`.
pub(crate) fn parse_ipv4_strict(b: &[u8]) -> Option<u32> {
    let mut value: u32 = 0;
    let mut parts = 0;
    for part in b.split(|&c| c == b'.') {
        parts += 1;
        if parts > 4
            || part.is_empty()
            || part.len() > 3
            || !part.iter().all(u8::is_ascii_digit)
            || (part.len() > 1 && part[0] == b'0')
        {
            return None;
        }
        let octet = part
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
        if octet > 255 {
            return None;
        }
        value = (value << 8) | octet;
    }
    (parts == 4).then_some(value)
}

/// Parses a run of `h16` groups separated by `:`, optionally ending in a
/// dotted IPv4 tail (two groups). An empty input gives no groups.
fn parse_h16_groups(b: &[u8], allow_ipv4_tail: bool, out: &mut Vec<u16>) -> Option<()> {
    if b.is_empty() {
        return Some(());
    }
    let pieces: Vec<&[u8]> = b.split(|&c| c == b':').collect();
    let last = pieces.len() - 1;
    for (i, piece) in pieces.iter().enumerate() {
        if i == last && allow_ipv4_tail && piece.contains(&b'.') {
            let v4 = parse_ipv4_strict(piece)?;
            out.push((v4 >> 16) as u16);
            out.push(v4 as u16);
        } else {
            if piece.is_empty() || piece.len() > 4 || !piece.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            let s = std::str::from_utf8(piece).ok()?;
            out.push(u16::from_str_radix(s, 16).ok()?);
        }
        if out.len() > 8 {
            return None;
        }
    }
    Some(())
}

/// IPv6 text without a zone: eight groups, or fewer with one `::` that stands
/// for at least one zero group; an IPv4 tail counts as two groups. This is
/// the address part of Node's `isIPv6` pattern and of libuv's `inet_pton`.
pub(crate) fn parse_ipv6_strict(b: &[u8]) -> Option<u128> {
    let double = b.windows(2).position(|w| w == b"::");
    let mut head = Vec::with_capacity(8);
    let mut tail = Vec::with_capacity(8);
    match double {
        None => {
            parse_h16_groups(b, true, &mut head)?;
            if head.len() != 8 {
                return None;
            }
        }
        Some(i) => {
            parse_h16_groups(&b[..i], false, &mut head)?;
            parse_h16_groups(&b[i + 2..], true, &mut tail)?;
            if head.len() + tail.len() > 7 {
                return None;
            }
        }
    }
    let mut words = [0u16; 8];
    words[..head.len()].copy_from_slice(&head);
    words[8 - tail.len()..].copy_from_slice(&tail);
    Some(
        words
            .iter()
            .fold(0u128, |acc, &w| (acc << 16) | u128::from(w)),
    )
}

/// Returns `true` if `s` is an IPv4 address in dotted-quad form, exactly as
/// Node's `net.isIPv4`: four decimal parts 0–255, no leading zeros, nothing
/// else (no surrounding whitespace, no zone).
///
/// ```
/// use nodenet::net::address::is_ipv4;
/// assert!(is_ipv4("127.0.0.1"));
/// assert!(!is_ipv4("01.2.3.4")); // leading zero
/// assert!(!is_ipv4("1.2.3"));
/// assert!(!is_ipv4("1.2.3.4\n"));
/// ```
pub fn is_ipv4(s: &str) -> bool {
    parse_ipv4_strict(s.as_bytes()).is_some()
}

/// Returns `true` if `s` is an IPv6 address, exactly as Node's `net.isIPv6`.
///
/// Groups are 1–4 hex digits (either case); `::` stands for one or more zero
/// groups and may appear once; the last 32 bits may be written as a strict
/// dotted quad; an optional zone `%id` must be non-empty and made of ASCII
/// letters, digits, `-`, `.` and `:`. Brackets are not accepted.
///
/// ```
/// use nodenet::net::address::is_ipv6;
/// assert!(is_ipv6("::ffff:1.2.3.4"));
/// assert!(is_ipv6("fe80::1%eth0"));
/// assert!(!is_ipv6("fe80::1%"));          // empty zone
/// assert!(!is_ipv6("fe80::1%eth0@1"));    // '@' not allowed in a zone
/// assert!(!is_ipv6("[::1]"));
/// assert!(!is_ipv6("1:2:3:4::5:6:7:8"));  // '::' must replace a group
/// ```
pub fn is_ipv6(s: &str) -> bool {
    let b = s.as_bytes();
    let (addr, zone) = match b.iter().position(|&c| c == b'%') {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    if let Some(zone) = zone
        && (zone.is_empty()
            || !zone
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b':')))
    {
        return false;
    }
    parse_ipv6_strict(addr).is_some()
}

/// Node's `net.isIP`: `4` for an IPv4 address, `6` for an IPv6 address,
/// `0` otherwise. See [`is_ipv4`] and [`is_ipv6`] for the exact syntax.
///
/// ```
/// use nodenet::net::address::is_ip;
/// assert_eq!(is_ip("1.2.3.4"), 4);
/// assert_eq!(is_ip("::1"), 6);
/// assert_eq!(is_ip("fe80::1%eth0"), 6);
/// assert_eq!(is_ip("01.2.3.4"), 0);
/// assert_eq!(is_ip(" 1.2.3.4"), 0);
/// assert_eq!(is_ip(""), 0);
/// ```
pub fn is_ip(s: &str) -> u8 {
    if is_ipv4(s) {
        4
    } else if is_ipv6(s) {
        6
    } else {
        0
    }
}

/// Formats an IP address the way Node prints addresses (libuv's
/// `inet_ntop`): IPv6 is lower-case with the longest run of two or more zero
/// groups (the first one on a tie) replaced by `::`, and the last 32 bits are
/// written as a dotted quad for `::ffff:a.b.c.d` and for `::a.b.c.d` when the
/// sixth zero group is followed by a non-zero seventh group.
///
/// ```
/// use nodenet::net::address::ip_to_string;
/// let s = |t: &str| ip_to_string(t.parse().unwrap());
/// assert_eq!(s("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
/// assert_eq!(s("::1.2.3.4"), "::1.2.3.4");
/// assert_eq!(s("::0.0.1.0"), "::100");
/// assert_eq!(s("1:0:0:2:0:0:3:4"), "1::2:0:0:3:4");
/// assert_eq!(s("10.0.0.1"), "10.0.0.1");
/// ```
pub fn ip_to_string(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => ipv6_to_string(&v6),
    }
}

fn ipv6_to_string(ip: &Ipv6Addr) -> String {
    let words = ip.segments();
    // Longest run of zero words (first on ties), kept only if >= 2 long.
    let (mut best_base, mut best_len) = (usize::MAX, 0);
    let mut i = 0;
    while i < 8 {
        if words[i] == 0 {
            let start = i;
            while i < 8 && words[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best_base = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best_base = usize::MAX;
    }
    let embedded_v4 = best_base == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff));
    let mut out = String::with_capacity(40);
    let mut i = 0;
    while i < 8 {
        if best_base != usize::MAX && i >= best_base && i < best_base + best_len {
            if i == best_base {
                out.push(':');
            }
            i += 1;
            continue;
        }
        if i != 0 {
            out.push(':');
        }
        if i == 6 && embedded_v4 {
            let v4 = Ipv4Addr::new(
                (words[6] >> 8) as u8,
                words[6] as u8,
                (words[7] >> 8) as u8,
                words[7] as u8,
            );
            out.push_str(&v4.to_string());
            return out;
        }
        out.push_str(&format!("{:x}", words[i]));
        i += 1;
    }
    if best_base != usize::MAX && best_base + best_len == 8 {
        out.push(':');
    }
    out
}

// ---------------------------------------------------------------------------
// Family
// ---------------------------------------------------------------------------

/// An address family.
///
/// Parsing ([`FromStr`]) follows what `net.SocketAddress` and `net.BlockList`
/// accept: `"ipv4"` or `"ipv6"` in any ASCII case. Node's `SocketAddress`
/// does not accept the numbers 4 and 6; [`Family::from_number`] (and
/// `TryFrom<u8>`) map those for the socket APIs that do.
///
/// ```
/// use nodenet::net::address::Family;
/// assert_eq!("IPv6".parse::<Family>(), Ok(Family::Ipv6));
/// assert_eq!("ipv4".parse::<Family>(), Ok(Family::Ipv4));
/// assert_eq!("4".parse::<Family>().unwrap_err().code, "ERR_INVALID_ARG_VALUE");
/// assert_eq!(Family::from_number(6), Some(Family::Ipv6));
/// assert_eq!(Family::Ipv4.as_str(), "IPv4");
/// assert_eq!(Family::Ipv4.as_lower_str(), "ipv4");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// IPv4 (`AF_INET`).
    Ipv4,
    /// IPv6 (`AF_INET6`).
    Ipv6,
}

impl Family {
    /// `"IPv4"` or `"IPv6"`, as in `socket.address().family` and in
    /// `BlockList` rules.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Ipv4 => "IPv4",
            Family::Ipv6 => "IPv6",
        }
    }

    /// `"ipv4"` or `"ipv6"`, as in `SocketAddress.family` and its options.
    pub fn as_lower_str(self) -> &'static str {
        match self {
            Family::Ipv4 => "ipv4",
            Family::Ipv6 => "ipv6",
        }
    }

    /// The family number Node uses elsewhere (`4` or `6`).
    pub fn as_number(self) -> u8 {
        match self {
            Family::Ipv4 => 4,
            Family::Ipv6 => 6,
        }
    }

    /// Maps `4` and `6` (the values [`is_ip`] returns); anything else is `None`.
    pub fn from_number(n: u8) -> Option<Family> {
        match n {
            4 => Some(Family::Ipv4),
            6 => Some(Family::Ipv6),
            _ => None,
        }
    }

    /// The family of an IP address.
    pub fn of(ip: &IpAddr) -> Family {
        match ip {
            IpAddr::V4(_) => Family::Ipv4,
            IpAddr::V6(_) => Family::Ipv6,
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Family {
    type Err = AddressError;

    /// `"ipv4"` / `"ipv6"`, ASCII case-insensitive; otherwise
    /// `ERR_INVALID_ARG_VALUE` as thrown for `options.family`.
    fn from_str(s: &str) -> Result<Family, AddressError> {
        if s.eq_ignore_ascii_case("ipv4") {
            Ok(Family::Ipv4)
        } else if s.eq_ignore_ascii_case("ipv6") {
            Ok(Family::Ipv6)
        } else {
            Err(AddressError::invalid_property_value("options.family", s))
        }
    }
}

impl TryFrom<u8> for Family {
    type Error = AddressError;

    /// `4` or `6`; anything else is `ERR_INVALID_ARG_VALUE`.
    fn try_from(n: u8) -> Result<Family, AddressError> {
        Family::from_number(n).ok_or_else(|| {
            AddressError::new(
                "ERR_INVALID_ARG_VALUE",
                format!("The property 'options.family' is invalid. Received {n}"),
            )
        })
    }
}

impl From<&IpAddr> for Family {
    fn from(ip: &IpAddr) -> Family {
        Family::of(ip)
    }
}

// ---------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------

/// A port as a JavaScript caller may pass it: a number or a numeric string.
///
/// Node accepts strings such as `"80"`, `" 80 "`, `"0x50"` or `"8e1"` for
/// ports (any string that converts to an integer 0–65535), but not `""`.
///
/// ```
/// use nodenet::net::address::{validate_port, PortInput};
/// assert_eq!(validate_port(&PortInput::from("0x50"), "Port", true), Ok(80));
/// assert_eq!(validate_port(&PortInput::from(-1), "Port", true).unwrap_err().code,
///            "ERR_SOCKET_BAD_PORT");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum PortInput {
    /// A JavaScript number.
    Number(f64),
    /// A JavaScript string, converted with JavaScript's `Number(string)` rules.
    Str(String),
}

macro_rules! port_from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for PortInput {
            fn from(n: $t) -> PortInput {
                PortInput::Number(n as f64)
            }
        }
    )*};
}
port_from_number!(u8, u16, u32, u64, i8, i16, i32, i64, usize, isize, f32);

impl From<f64> for PortInput {
    fn from(n: f64) -> PortInput {
        PortInput::Number(n)
    }
}

impl From<&str> for PortInput {
    fn from(s: &str) -> PortInput {
        PortInput::Str(s.to_string())
    }
}

impl From<String> for PortInput {
    fn from(s: String) -> PortInput {
        PortInput::Str(s)
    }
}

fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// JavaScript's `Number(string)`.
pub(crate) fn js_string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_whitespace);
    if t.is_empty() {
        return 0.0;
    }
    let b = t.as_bytes();
    if b.len() > 2 && b[0] == b'0' {
        let radix = match b[1] {
            b'x' | b'X' => 16,
            b'o' | b'O' => 8,
            b'b' | b'B' => 2,
            _ => 0,
        };
        if radix != 0 {
            let mut v = 0f64;
            for &c in &b[2..] {
                match (c as char).to_digit(radix) {
                    Some(d) => v = v * f64::from(radix) + f64::from(d),
                    None => return f64::NAN,
                }
            }
            return v;
        }
    }
    let (sign, body) = match b[0] {
        b'+' => (1.0, &t[1..]),
        b'-' => (-1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "Infinity" {
        return sign * f64::INFINITY;
    }
    // StrUnsignedDecimalLiteral: digits [. digits] | . digits, then [e[+-]digits].
    let bb = body.as_bytes();
    let mut i = 0;
    let int_digits = bb.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if i < bb.len() && bb[i] == b'.' {
        i += 1;
        frac_digits = bb[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return f64::NAN;
    }
    if i < bb.len() && (bb[i] == b'e' || bb[i] == b'E') {
        i += 1;
        if i < bb.len() && (bb[i] == b'+' || bb[i] == b'-') {
            i += 1;
        }
        let exp_digits = bb[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits == 0 {
            return f64::NAN;
        }
        i += exp_digits;
    }
    if i != bb.len() {
        return f64::NAN;
    }
    body.parse::<f64>().map(|v| sign * v).unwrap_or(f64::NAN)
}

/// Node's `validatePort(port, name, allowZero)`: accepts a number or a
/// non-blank numeric string whose value is an integer in 0–65535 (1–65535
/// when `allow_zero` is false). Otherwise fails with `ERR_SOCKET_BAD_PORT`
/// and a message such as
/// `Port should be >= 0 and < 65536. Received type number (65536).`
///
/// ```
/// use nodenet::net::address::{validate_port, PortInput};
/// assert_eq!(validate_port(&" 8080 ".into(), "Port", true), Ok(8080));
/// assert_eq!(validate_port(&"1e2".into(), "Port", true), Ok(100));
/// assert!(validate_port(&"".into(), "Port", true).is_err());
/// assert!(validate_port(&1.5.into(), "Port", true).is_err());
/// let err = validate_port(&0.into(), "Port", false).unwrap_err();
/// assert_eq!(err.message, "Port should be > 0 and < 65536. Received type number (0).");
/// ```
pub fn validate_port(port: &PortInput, name: &str, allow_zero: bool) -> Result<u16, AddressError> {
    let (value, blank, described) = match port {
        PortInput::Number(n) => (*n, false, describe_number(*n)),
        PortInput::Str(s) => (
            js_string_to_number(s),
            s.trim_matches(is_js_whitespace).is_empty(),
            describe_string(s),
        ),
    };
    let ok = !blank
        && value.is_finite()
        && value >= 0.0
        && value.fract() == 0.0
        && value <= 65535.0
        && (allow_zero || value != 0.0);
    if ok {
        Ok(value as u16)
    } else {
        let op = if allow_zero { ">=" } else { ">" };
        Err(AddressError::new(
            "ERR_SOCKET_BAD_PORT",
            format!("{name} should be {op} 0 and < 65536. Received {described}."),
        ))
    }
}

// ---------------------------------------------------------------------------
// SocketAddress
// ---------------------------------------------------------------------------

/// Options for [`SocketAddress::new`], the fields of the object passed to
/// `new net.SocketAddress(options)`. Every field is optional.
///
/// * `family`: `"ipv4"` (default) or `"ipv6"`, ASCII case-insensitive.
/// * `address`: defaults to `"127.0.0.1"` when `family` is absent or exactly
///   `"ipv4"`, and to `"::"` otherwise — so, as in Node, `family: "IPv4"`
///   without an address fails with `ERR_INVALID_ADDRESS`.
/// * `port`: see [`validate_port`]; default 0.
/// * `flowlabel`: an unsigned 32-bit integer, default 0 (see
///   [`SocketAddress::new`] for the limits actually applied).
///
/// ```
/// use nodenet::net::address::{Family, SocketAddress, SocketAddressOptions};
/// let opts = SocketAddressOptions::new()
///     .family(Family::Ipv6)
///     .address("fe80::1%eth0")
///     .port(443)
///     .flowlabel(7);
/// let sa = SocketAddress::new(&opts).unwrap();
/// assert_eq!(sa.address(), "fe80::1");
/// assert_eq!((sa.port(), sa.family(), sa.flowlabel()), (443, Family::Ipv6, 7));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SocketAddressOptions {
    /// `options.address`.
    pub address: Option<String>,
    /// `options.port`.
    pub port: Option<PortInput>,
    /// `options.family`, as given (validated by [`SocketAddress::new`]).
    pub family: Option<String>,
    /// `options.flowlabel`.
    pub flowlabel: Option<i64>,
}

impl SocketAddressOptions {
    /// Empty options (all defaults).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `address`.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// Sets `port` (a number or a numeric string).
    pub fn port(mut self, port: impl Into<PortInput>) -> Self {
        self.port = Some(port.into());
        self
    }

    /// Sets `family` from a typed [`Family`] (stored as `"ipv4"`/`"ipv6"`).
    pub fn family(mut self, family: Family) -> Self {
        self.family = Some(family.as_lower_str().to_string());
        self
    }

    /// Sets `family` from a string exactly as given (validated later).
    pub fn family_str(mut self, family: impl Into<String>) -> Self {
        self.family = Some(family.into());
        self
    }

    /// Sets `flowlabel`.
    pub fn flowlabel(mut self, flowlabel: i64) -> Self {
        self.flowlabel = Some(flowlabel);
        self
    }
}

/// An immutable (address, port, family, flowlabel) value, like Node's
/// `net.SocketAddress`.
///
/// ```
/// use nodenet::net::address::{Family, SocketAddress};
/// let sa = SocketAddress::parse("[::ffff:102:304]:8080").unwrap();
/// assert_eq!(sa.address(), "::ffff:1.2.3.4");
/// assert_eq!(sa.port(), 8080);
/// assert_eq!(sa.family(), Family::Ipv6);
/// let std_addr: std::net::SocketAddr = sa.into();
/// assert_eq!(std_addr.port(), 8080);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SocketAddress {
    ip: IpAddr,
    port: u16,
    flowlabel: u32,
    scope_id: u32,
}

impl Default for SocketAddress {
    /// `127.0.0.1`, port 0: what `new SocketAddress()` gives.
    fn default() -> Self {
        SocketAddress::from_ip(IpAddr::V4(Ipv4Addr::LOCALHOST), 0)
    }
}

/// The largest flow label an IPv6 address can carry (20 bits).
const FLOWLABEL_MASK: u32 = 0xF_FFFF;

/// Parses address text the way Node's `SocketAddress` (libuv's
/// `uv_ip4_addr`/`uv_ip6_addr`) does. Returns the address and the bytes of
/// the IPv6 zone id (empty if there is none).
pub(crate) fn parse_address_for(address: &str, family: Family) -> Option<(IpAddr, &[u8])> {
    // The text crosses into C as a NUL-terminated string.
    let b = address.as_bytes();
    let b = &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())];
    match family {
        Family::Ipv4 => parse_ipv4_strict(b).map(|v| (IpAddr::V4(Ipv4Addr::from(v)), &b[..0])),
        Family::Ipv6 => {
            let (mut addr, zone) = match b.iter().position(|&c| c == b'%') {
                Some(i) => (&b[..i], &b[i + 1..]),
                None => (b, &b[..0]),
            };
            if addr.len() < b.len() && addr.len() > 39 {
                // With a zone, libuv copies the part before '%' into a
                // 40-byte buffer, cutting it short.
                addr = &addr[..39];
            }
            let v = parse_ipv6_strict(addr)?;
            Some((IpAddr::V6(Ipv6Addr::from(v)), zone))
        }
    }
}

/// `if_nametoindex(zone)`, 0 when unknown (libuv does the same on Unix).
fn interface_index(zone: &[u8]) -> u32 {
    if zone.is_empty() {
        return 0;
    }
    match std::ffi::CString::new(zone) {
        // SAFETY: `name` is a valid NUL-terminated C string that outlives the call.
        Ok(name) => unsafe { libc::if_nametoindex(name.as_ptr()) },
        Err(_) => 0,
    }
}

impl SocketAddress {
    /// Validates `options` the way `new net.SocketAddress(options)` does and
    /// builds the address.
    ///
    /// Checks run in Node's order, and the first failure is returned:
    ///
    /// 1. `family` not `ipv4`/`ipv6` → `ERR_INVALID_ARG_VALUE`
    ///    (`The property 'options.family' is invalid. Received 'ipv7'`);
    /// 2. bad `port` → `ERR_SOCKET_BAD_PORT` (see [`validate_port`]);
    /// 3. `flowlabel` outside 0–4294967295 → `ERR_OUT_OF_RANGE`;
    /// 4. `address` not an address of the family → `ERR_INVALID_ADDRESS`
    ///    (`Invalid socket address`).
    ///
    /// For IPv6 a `%zone` suffix is accepted whatever it contains and is not
    /// part of [`address`](Self::address); the interface it names becomes
    /// [`scope_id`](Self::scope_id). IPv4 addresses ignore `flowlabel`
    /// (it reads back as 0). Node 24 aborts the process for an IPv6 flow
    /// label above 0xFFFFF (and for any label ≥ 2^31); here those are
    /// `ERR_OUT_OF_RANGE` errors for IPv6 and ignored for IPv4.
    ///
    /// ```
    /// use nodenet::net::address::{SocketAddress, SocketAddressOptions as O};
    /// let sa = SocketAddress::new(&O::new()).unwrap();
    /// assert_eq!((sa.address().as_str(), sa.port()), ("127.0.0.1", 0));
    /// let sa = SocketAddress::new(&O::new().family_str("IPV6")).unwrap();
    /// assert_eq!(sa.address(), "::");
    /// let code = |o: O| SocketAddress::new(&o).unwrap_err().code;
    /// assert_eq!(code(O::new().family_str("ipv7")), "ERR_INVALID_ARG_VALUE");
    /// assert_eq!(code(O::new().port(-1)), "ERR_SOCKET_BAD_PORT");
    /// assert_eq!(code(O::new().flowlabel(-1)), "ERR_OUT_OF_RANGE");
    /// assert_eq!(code(O::new().address("01.2.3.4")), "ERR_INVALID_ADDRESS");
    /// assert_eq!(code(O::new().family_str("IPv4")), "ERR_INVALID_ADDRESS"); // Node quirk
    /// ```
    pub fn new(options: &SocketAddressOptions) -> Result<SocketAddress, AddressError> {
        let family_raw = options.family.as_deref().unwrap_or("ipv4");
        let default_address = if family_raw == "ipv4" {
            "127.0.0.1"
        } else {
            "::"
        };
        let address = options.address.as_deref().unwrap_or(default_address);
        let family: Family = family_raw.parse()?;
        let port = match &options.port {
            Some(p) => validate_port(p, "options.port", true)?,
            None => 0,
        };
        let flowlabel = options.flowlabel.unwrap_or(0);
        if !(0..=i64::from(u32::MAX)).contains(&flowlabel) {
            return Err(AddressError::out_of_range(
                "options.flowlabel",
                0,
                i64::from(u32::MAX),
                flowlabel,
            ));
        }
        let flowlabel = match family {
            Family::Ipv4 => 0,
            Family::Ipv6 if flowlabel > i64::from(FLOWLABEL_MASK) => {
                return Err(AddressError::out_of_range(
                    "options.flowlabel",
                    0,
                    i64::from(FLOWLABEL_MASK),
                    flowlabel,
                ));
            }
            Family::Ipv6 => flowlabel as u32,
        };
        let (ip, zone) =
            parse_address_for(address, family).ok_or_else(AddressError::invalid_address)?;
        let scope_id = interface_index(zone);
        Ok(SocketAddress {
            ip,
            port,
            flowlabel,
            scope_id,
        })
    }

    /// An address from an IP and a port (flow label and scope id 0).
    pub fn from_ip(ip: IpAddr, port: u16) -> SocketAddress {
        SocketAddress {
            ip,
            port,
            flowlabel: 0,
            scope_id: 0,
        }
    }

    /// Like Node 24's `SocketAddress.parse(input)`: reads `input` as the
    /// `host[:port]` part of `http://input` (WHATWG URL rules) and returns
    /// `None` when that fails or the host is not an IP address.
    ///
    /// Consequences, all as in Node: IPv6 needs brackets; IPv4 may be in any
    /// WHATWG form (`0x7f.1`, `017.0.0.1` is octal, `256` is `0.0.1.0`);
    /// percent-escapes and full-width digits are decoded; anything after
    /// `/`, `?`, `#` or `\` is ignored, as are `user@` prefixes; port 80
    /// (the HTTP default) and a missing port both read back as **0**; a port
    /// above 65535 or a zone id (`[fe80::1%25eth0]`) makes it fail.
    /// Only the common subset of IDNA mapping is applied to non-ASCII hosts
    /// (full-width forms, ideographic full stops, compatibility digits, and
    /// ignorable characters); other non-ASCII input gives `None`.
    ///
    /// ```
    /// use nodenet::net::address::SocketAddress;
    /// let p = |s| SocketAddress::parse(s).map(|a| (a.address(), a.port()));
    /// assert_eq!(p("1.2.3.4:8080"), Some(("1.2.3.4".into(), 8080)));
    /// assert_eq!(p("[::1]:443"), Some(("::1".into(), 443)));
    /// assert_eq!(p("1.2.3.4:80"), Some(("1.2.3.4".into(), 0))); // default port elided
    /// assert_eq!(p("192.168.257:1"), Some(("192.168.1.1".into(), 1)));
    /// assert_eq!(p("::1"), None);
    /// assert_eq!(p("localhost:80"), None);
    /// ```
    pub fn parse(input: &str) -> Option<SocketAddress> {
        let (host, port) = url_host_port(input)?;
        let ip = match host {
            UrlHost::V4(v) => IpAddr::V4(Ipv4Addr::from(v)),
            UrlHost::V6(v) => IpAddr::V6(Ipv6Addr::from(v)),
        };
        Some(SocketAddress::from_ip(ip, port))
    }

    /// The address text, as Node prints it (see [`ip_to_string`]).
    pub fn address(&self) -> String {
        ip_to_string(self.ip)
    }

    /// The IP address.
    pub fn ip(&self) -> IpAddr {
        self.ip
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address family.
    pub fn family(&self) -> Family {
        Family::of(&self.ip)
    }

    /// The IPv6 flow label (always 0 for IPv4).
    pub fn flowlabel(&self) -> u32 {
        self.flowlabel
    }

    /// The IPv6 scope id taken from a `%zone` suffix (0 if none or unknown).
    /// Node keeps this internally but does not expose it.
    pub fn scope_id(&self) -> u32 {
        self.scope_id
    }

    /// The value of `JSON.stringify(socketAddress)`:
    /// `{"address":"::1","port":80,"family":"ipv6","flowlabel":0}`.
    ///
    /// ```
    /// use nodenet::net::address::SocketAddress;
    /// assert_eq!(SocketAddress::default().to_json(),
    ///            r#"{"address":"127.0.0.1","port":0,"family":"ipv4","flowlabel":0}"#);
    /// ```
    pub fn to_json(&self) -> String {
        format!(
            "{{\"address\":{},\"port\":{},\"family\":\"{}\",\"flowlabel\":{}}}",
            json_quote(&self.address()),
            self.port,
            self.family().as_lower_str(),
            self.flowlabel
        )
    }

    /// The text `util.inspect` gives:
    /// `SocketAddress { address: '1.2.3.4', port: 0, family: 'ipv4', flowlabel: 0 }`, or
    /// one field a line when that is too long, as `util.inspect` breaks an object whose
    /// fields' lengths add up to more than 61 (its `breakLength` of 80, less 4 for the
    /// separators and 15 for the braces and its margin).
    ///
    /// ```
    /// use nodenet::net::address::{SocketAddress, SocketAddressOptions as O};
    /// let sa = |a: &str| SocketAddress::new(&O::new().address(a).family_str("ipv6")).unwrap();
    /// assert_eq!(
    ///     sa("::1").inspect(),
    ///     "SocketAddress { address: '::1', port: 0, family: 'ipv6', flowlabel: 0 }"
    /// );
    /// assert_eq!(
    ///     sa("1111:2222:3333:4444::9").inspect(),
    ///     "SocketAddress {\n  address: '1111:2222:3333:4444::9',\n  port: 0,\n  \
    ///      family: 'ipv6',\n  flowlabel: 0\n}"
    /// );
    /// ```
    pub fn inspect(&self) -> String {
        let fields = [
            format!("address: '{}'", self.address()),
            format!("port: {}", self.port),
            format!("family: '{}'", self.family().as_lower_str()),
            format!("flowlabel: {}", self.flowlabel),
        ];
        if fields.iter().map(String::len).sum::<usize>() <= 61 {
            format!("SocketAddress {{ {} }}", fields.join(", "))
        } else {
            format!("SocketAddress {{\n  {}\n}}", fields.join(",\n  "))
        }
    }
}

impl fmt::Display for SocketAddress {
    /// `1.2.3.4:80` or `[::1]:80`, with the address in Node's text form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ip {
            IpAddr::V4(_) => write!(f, "{}:{}", self.address(), self.port),
            IpAddr::V6(_) => write!(f, "[{}]:{}", self.address(), self.port),
        }
    }
}

impl From<SocketAddr> for SocketAddress {
    /// Keeps the IPv6 scope id and the flow label (the low 20 bits of
    /// `flowinfo`).
    fn from(sa: SocketAddr) -> SocketAddress {
        match sa {
            SocketAddr::V4(v4) => SocketAddress::from_ip(IpAddr::V4(*v4.ip()), v4.port()),
            SocketAddr::V6(v6) => SocketAddress {
                ip: IpAddr::V6(*v6.ip()),
                port: v6.port(),
                flowlabel: v6.flowinfo() & FLOWLABEL_MASK,
                scope_id: v6.scope_id(),
            },
        }
    }
}

impl From<SocketAddress> for SocketAddr {
    fn from(sa: SocketAddress) -> SocketAddr {
        match sa.ip {
            IpAddr::V4(ip) => SocketAddr::V4(SocketAddrV4::new(ip, sa.port)),
            IpAddr::V6(ip) => {
                SocketAddr::V6(SocketAddrV6::new(ip, sa.port, sa.flowlabel, sa.scope_id))
            }
        }
    }
}

impl From<&SocketAddress> for SocketAddr {
    fn from(sa: &SocketAddress) -> SocketAddr {
        SocketAddr::from(*sa)
    }
}

// ---------------------------------------------------------------------------
// SocketAddress.parse: the host and port of `http://{input}`
// ---------------------------------------------------------------------------

enum UrlHost {
    V4(u32),
    V6(u128),
}

/// Host and port of `http://{input}`, or `None` if the URL parser fails or
/// the host is a domain name.
fn url_host_port(input: &str) -> Option<(UrlHost, u16)> {
    // Trailing C0 controls and spaces are stripped; tabs and newlines vanish.
    let trimmed = input.trim_end_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    // "http://" is followed by any number of extra slashes or backslashes.
    let rest = cleaned.trim_start_matches(['/', '\\']);
    let authority = match rest.find(['/', '\\', '?', '#']) {
        Some(i) => &rest[..i],
        None => rest,
    };
    let host_port = match authority.rfind('@') {
        Some(i) => &authority[i + 1..],
        None => authority,
    };
    // The first ':' outside brackets separates the port.
    let mut in_brackets = false;
    let mut split = None;
    for (i, c) in host_port.char_indices() {
        match c {
            '[' => in_brackets = true,
            ']' => in_brackets = false,
            ':' if !in_brackets => {
                split = Some(i);
                break;
            }
            _ => {}
        }
    }
    let (host, port_text) = match split {
        Some(i) => (&host_port[..i], &host_port[i + 1..]),
        None => (host_port, ""),
    };
    if host.is_empty() || !port_text.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let port = match port_text.trim_start_matches('0') {
        "" => 0,
        digits if digits.len() > 5 => return None,
        digits => match digits.parse::<u32>().ok()? {
            p if p > 65535 => return None,
            80 => 0, // the scheme's default port is not reported
            p => p as u16,
        },
    };
    let host = if let Some(inner) = host.strip_prefix('[') {
        UrlHost::V6(whatwg_ipv6(inner.strip_suffix(']')?.as_bytes())?)
    } else {
        let decoded = String::from_utf8(percent_decode(host.as_bytes())).ok()?;
        let mapped = idna_map_subset(&decoded)?;
        UrlHost::V4(whatwg_ipv4(&mapped)?)
    };
    Some((host, port))
}

fn percent_decode(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).expect("hex digits");
            out.push(u8::from_str_radix(hex, 16).expect("hex digits"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// The part of UTS #46 mapping that can turn a host into ASCII IPv4 text:
/// ASCII is lower-cased, full-width forms and compatibility digits are
/// mapped, ideographic full stops become '.', ignorable characters vanish.
/// Returns `None` for any other non-ASCII character (such a host could
/// never be an IPv4 address after mapping, or is outside this subset).
fn idna_map_subset(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let cp = c as u32;
        match cp {
            0..=0x7f => out.push(c.to_ascii_lowercase()),
            0xFF01..=0xFF5E => {
                out.push(char::from_u32(cp - 0xFEE0)?.to_ascii_lowercase());
            }
            0x3002 | 0xFF61 => out.push('.'),
            0xB9 => out.push('1'),
            0xB2 => out.push('2'),
            0xB3 => out.push('3'),
            0x2070 => out.push('0'),
            0x2074..=0x2079 => out.push(char::from_digit(cp - 0x2070, 10)?),
            0x2080..=0x2089 => out.push(char::from_digit(cp - 0x2080, 10)?),
            0x2460..=0x2473 => out.push_str(&(cp - 0x2460 + 1).to_string()),
            0x24EA => out.push('0'),
            0x1D7CE..=0x1D7FF => out.push(char::from_digit((cp - 0x1D7CE) % 10, 10)?),
            0x1FBF0..=0x1FBF9 => out.push(char::from_digit(cp - 0x1FBF0, 10)?),
            0xAD | 0x34F | 0x180B..=0x180D | 0x200B | 0x2060 | 0xFE00..=0xFE0F | 0xFEFF => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The WHATWG IPv4 number parser: decimal, `0x` hex or leading-`0` octal.
/// Saturates instead of overflowing (anything that large fails anyway).
fn whatwg_ipv4_number(part: &str) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (radix, digits) = if part.len() >= 2 && (part.starts_with("0x") || part.starts_with("0X")) {
        (16, &part[2..])
    } else if part.len() >= 2 && part.starts_with('0') {
        (8, &part[1..])
    } else {
        (10, part)
    };
    let mut v: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        v = v
            .saturating_mul(u64::from(radix))
            .saturating_add(u64::from(d));
    }
    Some(v)
}

/// The WHATWG IPv4 parser (`1.2.3.4`, `1.2.3`, `0x7f.1`, `4294967295`, a
/// trailing dot allowed).
fn whatwg_ipv4(s: &str) -> Option<u32> {
    let mut parts: Vec<&str> = s.split('.').collect();
    if parts.len() > 1 && parts.last() == Some(&"") {
        parts.pop();
    }
    if parts.len() > 4 {
        return None;
    }
    let numbers = parts
        .iter()
        .map(|p| whatwg_ipv4_number(p))
        .collect::<Option<Vec<u64>>>()?;
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) || *last >= 256u64.pow(5 - numbers.len() as u32) {
        return None;
    }
    let mut v = *last;
    for (i, &n) in init.iter().enumerate() {
        v += n << (8 * (3 - i));
    }
    Some(v as u32)
}

/// The WHATWG IPv6 parser (used between the brackets of a URL host).
fn whatwg_ipv6(b: &[u8]) -> Option<u128> {
    let mut words = [0u16; 8];
    let mut piece = 0usize;
    let mut compress: Option<usize> = None;
    let mut p = 0usize;
    let at = |i: usize| b.get(i).copied();
    if at(p) == Some(b':') {
        if at(p + 1) != Some(b':') {
            return None;
        }
        p += 2;
        piece += 1;
        compress = Some(piece);
    }
    while p < b.len() {
        if piece == 8 {
            return None;
        }
        if b[p] == b':' {
            if compress.is_some() {
                return None;
            }
            p += 1;
            piece += 1;
            compress = Some(piece);
            continue;
        }
        let mut value: u32 = 0;
        let mut length = 0;
        while length < 4 && p < b.len() && b[p].is_ascii_hexdigit() {
            value = value * 16 + (b[p] as char).to_digit(16).expect("hex digit");
            p += 1;
            length += 1;
        }
        if at(p) == Some(b'.') {
            if length == 0 {
                return None;
            }
            p -= length;
            if piece > 6 {
                return None;
            }
            let mut numbers_seen = 0;
            while p < b.len() {
                if numbers_seen > 0 {
                    if b[p] == b'.' && numbers_seen < 4 {
                        p += 1;
                    } else {
                        return None;
                    }
                }
                if !at(p).is_some_and(|c| c.is_ascii_digit()) {
                    return None;
                }
                let mut octet: Option<u32> = None;
                while let Some(c) = at(p).filter(u8::is_ascii_digit) {
                    let d = u32::from(c - b'0');
                    octet = match octet {
                        None => Some(d),
                        Some(0) => return None,
                        Some(o) => Some(o * 10 + d),
                    };
                    if octet > Some(255) {
                        return None;
                    }
                    p += 1;
                }
                words[piece] = words[piece].wrapping_mul(0x100) + octet.expect("digit") as u16;
                numbers_seen += 1;
                if numbers_seen == 2 || numbers_seen == 4 {
                    piece += 1;
                }
            }
            if numbers_seen != 4 {
                return None;
            }
            break;
        } else if at(p) == Some(b':') {
            p += 1;
            if p == b.len() {
                return None;
            }
        } else if p < b.len() {
            return None;
        }
        words[piece] = value as u16;
        piece += 1;
    }
    if let Some(c) = compress {
        let mut swaps = piece - c;
        piece = 7;
        while piece != 0 && swaps > 0 {
            words.swap(piece, c + swaps - 1);
            piece -= 1;
            swaps -= 1;
        }
    } else if piece != 8 {
        return None;
    }
    Some(
        words
            .iter()
            .fold(0u128, |acc, &w| (acc << 16) | u128::from(w)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sa(o: SocketAddressOptions) -> Result<SocketAddress, AddressError> {
        SocketAddress::new(&o)
    }

    // Expected values recorded from Node 24.19.0, e.g.
    // node -p "['01.2.3.4','fe80::1%eth0'].map(net.isIP)"
    #[test]
    fn is_ip_matches_node() {
        let cases: &[(&str, u8)] = &[
            ("01.2.3.4", 0),
            ("fe80::1%eth0", 6),
            ("::ffff:1.2.3.4", 6),
            ("[::1]", 0),
            (" 1.2.3.4", 0),
            ("1.2.3.4\n", 0),
            ("", 0),
            ("fe80::1%eth0.0", 6),
            ("fe80::1%eth0@1", 0),
            ("fe80::1%", 0),
            ("fe80::1%a-b.c:d", 6),
            ("::", 6),
            ("1::", 6),
            ("1:2:3:4:5:6:7::", 6),
            ("::1:2:3:4:5:6:7", 6),
            ("1:2:3:4::5:6:7:8", 0),
            ("::1.2.3.4%x", 6),
            ("1.2.3.4%x", 0),
            ("0.0.0.0", 4),
            ("255.255.255.255", 4),
            ("256.0.0.0", 0),
            ("1.2.3.04", 0),
            ("1:2:3:4:5:6:1.2.3.4", 6),
            ("::ffff:1.2.3.04", 0),
            ("FFFF::", 6),
            ("ffff:::", 0),
            ("12345::", 0),
            ("::ffff:1.2.3.4.5", 0),
            ("1.2.3", 0),
            ("::%x", 6),
        ];
        for &(s, want) in cases {
            assert_eq!(is_ip(s), want, "isIP({s:?})");
            assert_eq!(is_ipv4(s), want == 4, "isIPv4({s:?})");
            assert_eq!(is_ipv6(s), want == 6, "isIPv6({s:?})");
        }
    }

    // node -p "new net.SocketAddress({address:A,family:'ipv6'}).address"
    #[test]
    fn ipv6_text_form_matches_node() {
        let cases: &[(&str, &str)] = &[
            ("::2", "::2"),
            ("::0.0.0.1", "::1"),
            ("::0.1.0.0", "::0.1.0.0"),
            ("::ffff:0:1.2.3.4", "::ffff:0:102:304"),
            ("::1.2.3.4", "::1.2.3.4"),
            ("0:0:0:0:0:ffff::", "::ffff:0.0.0.0"),
            ("1:0:0:1:0:0:0:1", "1:0:0:1::1"),
            ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"),
            ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
            ("::fffe:1.2.3.4", "::fffe:102:304"),
            ("1::ffff:1.2.3.4", "1::ffff:102:304"),
            ("0:0:0:0:0:0:1:1", "::0.1.0.1"),
            ("::1:0:0", "::1:0:0"),
            ("fe80::1%", "fe80::1"),
            ("fe80::1%%%", "fe80::1"),
            ("fe80::1%eth0@1 x", "fe80::1"),
            ("::1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7"),
            ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
            ("0001::", "1::"),
            ("::0.0.1.0", "::100"),
            ("::", "::"),
            ("FE80::A", "fe80::a"),
            ("::1\0zz", "::1"),
            ("0000:0000:0000:0000:0000:0000:0000:00011%x", "::1"),
            ("0000:0000:0000:0000:0000:ffff:1.2.3.45", "::ffff:1.2.3.45"),
        ];
        for &(input, want) in cases {
            let got = sa(SocketAddressOptions::new()
                .family(Family::Ipv6)
                .address(input))
            .unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(got.address(), want, "{input:?}");
        }
        for bad in [
            "1:2:3:4::5:6:7:8",
            "::01.2.3.4",
            "::1.2.3",
            "00001::",
            "[::1]",
            "1.2.3.4",
            " ::1",
            "::1 ",
            "0000:0000:0000:0000:0000:0000:0000:00011",
            "0000:0000:0000:0000:0000:ffff:255.255.255.255%x",
        ] {
            let err = sa(SocketAddressOptions::new()
                .family(Family::Ipv6)
                .address(bad))
            .unwrap_err();
            assert_eq!(err.code, "ERR_INVALID_ADDRESS", "{bad:?}");
        }
    }

    // node -e "try{new net.SocketAddress(O)}catch(e){console.log(e.code, e.message)}"
    #[test]
    fn socket_address_errors_match_node() {
        let e = sa(SocketAddressOptions::new().port(65536)).unwrap_err();
        assert_eq!(e.code, "ERR_SOCKET_BAD_PORT");
        assert_eq!(
            e.message,
            "options.port should be >= 0 and < 65536. Received type number (65536)."
        );
        let e = sa(SocketAddressOptions::new().port("abc")).unwrap_err();
        assert_eq!(
            e.message,
            "options.port should be >= 0 and < 65536. Received type string ('abc')."
        );
        let e = sa(SocketAddressOptions::new().port("it's")).unwrap_err();
        assert_eq!(
            e.message,
            "options.port should be >= 0 and < 65536. Received type string (\"it's\")."
        );
        let e = sa(SocketAddressOptions::new().port("abcdefghijklmnopqrstuvwxyz0123456789"))
            .unwrap_err();
        assert_eq!(
            e.message,
            "options.port should be >= 0 and < 65536. Received type string ('abcdefghijklmnopqrstuvwxy...')."
        );
        for (p, shown) in [
            (1.5, "1.5"),
            (f64::NAN, "NaN"),
            (1e21, "1e+21"),
            (f64::INFINITY, "Infinity"),
            (4294967296.0, "4294967296"),
        ] {
            let e = sa(SocketAddressOptions::new().port(p)).unwrap_err();
            assert_eq!(
                e.message,
                format!("options.port should be >= 0 and < 65536. Received type number ({shown}).")
            );
        }
        for ok in ["80", " 80 ", "0x10", "1e2", "-0", "+80"] {
            assert!(sa(SocketAddressOptions::new().port(ok)).is_ok(), "{ok:?}");
        }
        assert_eq!(
            sa(SocketAddressOptions::new().port("0x10")).unwrap().port(),
            16
        );
        assert!(sa(SocketAddressOptions::new().port("")).is_err());
        assert!(sa(SocketAddressOptions::new().port("1.5")).is_err());

        let e = sa(SocketAddressOptions::new().family_str("ipv7")).unwrap_err();
        assert_eq!(e.code, "ERR_INVALID_ARG_VALUE");
        assert_eq!(
            e.message,
            "The property 'options.family' is invalid. Received 'ipv7'"
        );
        let e = sa(SocketAddressOptions::new().family_str("ıpv4")).unwrap_err();
        assert_eq!(e.code, "ERR_INVALID_ARG_VALUE");
        // family is checked before port
        let e = sa(SocketAddressOptions::new().family_str("x").port(-1)).unwrap_err();
        assert_eq!(e.code, "ERR_INVALID_ARG_VALUE");

        let e = sa(SocketAddressOptions::new().flowlabel(-1)).unwrap_err();
        assert_eq!(e.code, "ERR_OUT_OF_RANGE");
        assert_eq!(
            e.message,
            "The value of \"options.flowlabel\" is out of range. It must be >= 0 && <= 4294967295. Received -1"
        );
        let e = sa(SocketAddressOptions::new().flowlabel(1 << 40)).unwrap_err();
        assert!(
            e.message.ends_with("Received 1_099_511_627_776"),
            "{}",
            e.message
        );

        let e = sa(SocketAddressOptions::new().address("1.2.3")).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            ("ERR_INVALID_ADDRESS", "Invalid socket address")
        );
        // Node picks the default address before lower-casing the family.
        assert_eq!(
            sa(SocketAddressOptions::new().family_str("IPv4"))
                .unwrap_err()
                .code,
            "ERR_INVALID_ADDRESS"
        );
        assert_eq!(
            sa(SocketAddressOptions::new().family_str("IPV6"))
                .unwrap()
                .address(),
            "::"
        );
        assert_eq!(
            sa(SocketAddressOptions::new()
                .family_str("iPv4")
                .address("1.2.3.4"))
            .unwrap()
            .address(),
            "1.2.3.4"
        );
    }

    #[test]
    fn socket_address_values() {
        let d = sa(SocketAddressOptions::new()).unwrap();
        assert_eq!(d, SocketAddress::default());
        assert_eq!(
            d.to_json(),
            r#"{"address":"127.0.0.1","port":0,"family":"ipv4","flowlabel":0}"#
        );
        // IPv4 ignores the flow label.
        assert_eq!(
            sa(SocketAddressOptions::new().flowlabel(5))
                .unwrap()
                .flowlabel(),
            0
        );
        let v6 = sa(SocketAddressOptions::new()
            .family(Family::Ipv6)
            .flowlabel(0xFFFFF))
        .unwrap();
        assert_eq!(v6.flowlabel(), 0xFFFFF);
        assert!(
            sa(SocketAddressOptions::new()
                .family(Family::Ipv6)
                .flowlabel(0x100000))
            .is_err()
        );
        assert_eq!(
            sa(SocketAddressOptions::new().address("1.2.3.4\0xyz"))
                .unwrap()
                .address(),
            "1.2.3.4"
        );
        assert_eq!(
            v6.inspect(),
            "SocketAddress { address: '::', port: 0, family: 'ipv6', flowlabel: 1048575 }"
        );
        let lo = sa(SocketAddressOptions::new()
            .family(Family::Ipv6)
            .address("::1%lo")
            .port(9))
        .unwrap();
        assert_eq!(lo.to_string(), "[::1]:9");
        if std::path::Path::new("/sys/class/net/lo").exists() {
            assert_ne!(lo.scope_id(), 0, "%lo names an interface");
        }
        // Unknown interfaces, and numeric zones on Unix, give scope id 0.
        let unknown = sa(SocketAddressOptions::new()
            .family(Family::Ipv6)
            .address("fe80::1%no-such-if0"))
        .unwrap();
        assert_eq!(unknown.scope_id(), 0);
        let std_addr = SocketAddr::from(lo);
        assert_eq!(SocketAddress::from(std_addr), lo);
        let v4: SocketAddr = "10.1.2.3:4".parse().unwrap();
        assert_eq!(SocketAddress::from(v4).to_string(), "10.1.2.3:4");
        assert_eq!(SocketAddr::from(SocketAddress::from(v4)), v4);
    }

    // node -p "JSON.stringify(net.SocketAddress.parse(S))"
    #[test]
    fn parse_matches_node() {
        let ok: &[(&str, &str, u16)] = &[
            ("1.2.3.4:80", "1.2.3.4", 0),
            ("1.2.3.4:8080", "1.2.3.4", 8080),
            ("1.2.3.4", "1.2.3.4", 0),
            ("[::1]:80", "::1", 0),
            ("[::1]:443", "::1", 443),
            ("[::1]:", "::1", 0),
            ("1.2.3.4:0080", "1.2.3.4", 0),
            ("1.2.3.4:65535", "1.2.3.4", 65535),
            ("1.2.3.4:5/x", "1.2.3.4", 5),
            ("1.2.3.4:5?q", "1.2.3.4", 5),
            ("u:p@1.2.3.4:5", "1.2.3.4", 5),
            ("@1.2.3.4:5", "1.2.3.4", 5),
            ("//1.2.3.4:5", "1.2.3.4", 5),
            ("\\\\1.2.3.4:5", "1.2.3.4", 5),
            ("1.2.\t3.4:5", "1.2.3.4", 5),
            ("1.2.3.4.:5", "1.2.3.4", 5),
            ("192.168.257:1", "192.168.1.1", 1),
            ("256", "0.0.1.0", 0),
            ("0xffffffff", "255.255.255.255", 0),
            ("0x.0x.0", "0.0.0.0", 0),
            ("[1:0::]", "1::", 0),
            ("[::ffff:1.2.3.4]:1", "::ffff:1.2.3.4", 1),
            ("[1:2:3:4:5:6:7::]", "1:2:3:4:5:6:7:0", 0),
            ("%31.2.3.4", "1.2.3.4", 0),
            ("１.２.３.４", "1.2.3.4", 0),
            ("１２７。０。０。１", "127.0.0.1", 0),
            ("1.2.3.4%2e", "1.2.3.4", 0),
            ("017.0.0.1", "15.0.0.1", 0),
            ("0X7F.0.0.1", "127.0.0.1", 0),
            ("1.2.3.4:5 ", "1.2.3.4", 5),
            ("1.2.3.4\0", "1.2.3.4", 0),
            ("a@b@1.2.3.4:7", "1.2.3.4", 7),
            ("0x", "0.0.0.0", 0),
            ("1.2.3.4:8\n0", "1.2.3.4", 0),
            ("1\u{2060}2.3.4", "12.3.0.4", 0),
            ("\u{2460}.2.3.4", "1.2.3.4", 0),
        ];
        for &(input, addr, port) in ok {
            let got = SocketAddress::parse(input).unwrap_or_else(|| panic!("{input:?}"));
            assert_eq!(
                (got.address().as_str(), got.port()),
                (addr, port),
                "{input:?}"
            );
        }
        for bad in [
            "::1",
            "1.2.3.4:65536",
            "1.2.3.4:-1",
            "1.2.3.4:+1",
            " 1.2.3.4:5 ",
            "1.2.3.4:5@",
            "1.2.3.4..:5",
            "not an ip",
            "abc.123",
            "259.1.1.1",
            "12:12:12",
            "localhost:80",
            "[fe80::1%25eth0]:1",
            "[::01.2.3.4]",
            "[1:2:3:4::5:6:7:8]",
            "08.0.0.1",
            "0x100000000",
            "4294967296",
            "1.2.3.256",
            "1.2.3.4:5:6",
            "[::1]x",
            "",
            ":80",
            "[]",
            "\u{0}1.2.3.4",
            "1.2.3.4\u{200d}",
            "http://1.2.3.4",
            "1.2.3.4%",
        ] {
            assert_eq!(SocketAddress::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn js_number_formatting() {
        for (n, s) in [
            (1.5, "1.5"),
            (65536.0, "65536"),
            (1e21, "1e+21"),
            (1.25e-7, "1.25e-7"),
            (0.000001, "0.000001"),
            (-12.5, "-12.5"),
            (123456789012.0, "123456789012"),
        ] {
            assert_eq!(js_number_to_string(n), s);
        }
        assert_eq!(js_string_to_number(" 0b101 "), 5.0);
        assert_eq!(js_string_to_number("0o17"), 15.0);
        assert!(js_string_to_number("0x").is_nan());
        assert!(js_string_to_number("-0x10").is_nan());
        assert!(js_string_to_number("inf").is_nan());
        assert_eq!(js_string_to_number("-Infinity"), f64::NEG_INFINITY);
        assert_eq!(js_string_to_number(".5e1"), 5.0);
        assert_eq!(js_string_to_number("5."), 5.0);
        assert!(js_string_to_number(".").is_nan());
    }
}
