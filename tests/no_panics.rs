//! Input from users never panics: every entry point that takes a string or bytes gives an
//! answer or a Node-coded error for anything at all.

use nodenet::encoding::{self, Encoding};
use nodenet::net::address::{Family, SocketAddressOptions};
use nodenet::net::{BlockList, SocketAddress, is_ip};
use nodenet::stream::decoder::StringDecoder;
use proptest::prelude::*;

/// Strings that look like addresses more often than random text does.
fn addressish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-fA-F:.%\\[\\]/x ]{0,48}",
        "(::)?([0-9]{1,4}[.:]){0,8}[0-9]{0,5}(%[a-z0-9]{0,4})?(:[0-9]{0,6})?",
        "(Address|Range|Subnet): (IPv4|IPv6|ipv6) [0-9a-f:./-]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn address_helpers_answer_any_string(s in addressish(), prefix in -200i32..300, port in any::<i64>()) {
        let _ = is_ip(&s);
        let _ = SocketAddress::parse(&s);
        let _ = SocketAddress::new(&SocketAddressOptions::new().address(s.as_str()).port(port as f64));
        let _ = SocketAddress::new(&SocketAddressOptions::new().address(s.as_str()).family_str(s.as_str()));
        let mut b = BlockList::new();
        for fam in [Family::Ipv4, Family::Ipv6] {
            let _ = b.add_address(&s, fam);
            let _ = b.add_range(&s, &s, fam);
            let _ = b.add_range("0.0.0.0", &s, fam);
            let _ = b.add_subnet(&s, prefix, fam);
            let _ = b.check(&s, fam);
        }
        let _ = b.rules();
        let _ = b.from_json(&[s.as_str()]);
        let _ = b.from_json_str(&s);
    }

    #[test]
    fn encodings_answer_any_input(s in any::<String>(), bytes in proptest::collection::vec(any::<u8>(), 0..64), name in "[a-zA-Z0-9-]{0,12}") {
        let _ = Encoding::from_name(&name);
        for enc in Encoding::ALL {
            let _ = encoding::encode(&s, enc);
            let _ = encoding::decode(&bytes, enc);
            let mut d = StringDecoder::new(enc);
            for chunk in bytes.chunks(3) {
                let _ = d.write(chunk);
            }
            let _ = d.end();
        }
    }

    #[test]
    fn the_attempt_timeout_default_answers_any_number(ms in prop_oneof![any::<i64>(), -20i64..300, any::<i32>().prop_map(i64::from)]) {
        // Process-wide, but nothing else in this binary connects.
        let before = nodenet::net::get_default_auto_select_family_attempt_timeout();
        match nodenet::net::set_default_auto_select_family_attempt_timeout(ms) {
            Ok(()) => {
                prop_assert!((1..=i64::from(i32::MAX)).contains(&ms));
                prop_assert_eq!(
                    i64::from(nodenet::net::get_default_auto_select_family_attempt_timeout()),
                    ms.max(10)
                );
            }
            Err(e) => {
                prop_assert_eq!(e.code(), "ERR_OUT_OF_RANGE");
                prop_assert_eq!(nodenet::net::get_default_auto_select_family_attempt_timeout(), before);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any host (port 0: an IP host binds a port the system picks, dropped at once) and
    /// any port (with a host that is refused first, so no chosen port is ever bound).
    #[test]
    fn bound_socket_options_answer_anything(host in addressish(), port in any::<f64>(), sport in any::<String>()) {
        use nodenet::net::{BoundSocket, BoundSocketOptions};
        let _ = BoundSocket::new(BoundSocketOptions::default().host(host.as_str()));
        let _ = BoundSocket::new(BoundSocketOptions::default().host(host.as_str()).ipv6_only(true).reuse_port(true));
        for p in [BoundSocketOptions::default().port(port), BoundSocketOptions::default().port(sport.as_str())] {
            let e = BoundSocket::new(p.host("not an ip")).unwrap_err();
            prop_assert!(e.code() == "ERR_SOCKET_BAD_PORT" || e.code() == "ERR_INVALID_ARG_VALUE");
        }
    }
}
