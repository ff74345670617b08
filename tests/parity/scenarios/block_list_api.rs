//! BlockList as an API, after Node's test/parallel/test-blocklist.js: rules added from text
//! and from SocketAddress values (addresses, ranges, subnets; families in any case), checks
//! on both sides of every boundary (IPv4-mapped IPv6 included), the rules list, the errors
//! (family, reversed range, prefix out of range, fromJSON data) with code and message, and
//! the toJSON / fromJSON round trips. A check is written `address [family]`. In Rust a
//! family string becomes a `Family` with `str::parse`, whose error is Node's.
use nodenet::net::address::AddressError;
use nodenet::net::{BlockList, Family, SocketAddress, SocketAddressOptions};

fn attempt(what: &str, r: Result<(), AddressError>) {
    match r {
        Ok(()) => out!("{what} ok"),
        Err(e) => out!("{what} error {} {}", e.code, e.message),
    }
}

fn fam(f: &str) -> Family {
    f.parse().expect("a family")
}

fn checks(name: &str, bl: &BlockList, list: &[String]) {
    for item in list {
        let mut parts = item.split(' ');
        let a = parts.next().unwrap_or_default();
        let f = parts.next().map_or(Family::Ipv4, fam);
        out!("{name} check {item} {}", bl.check(a, f));
    }
}

fn list(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn rules(bl: &BlockList) -> String {
    bl.rules().join(" | ")
}

fn v4(address: &str) -> SocketAddress {
    SocketAddress::new(&SocketAddressOptions::new().address(address)).expect("an address")
}

fn v6(address: &str) -> SocketAddress {
    SocketAddress::new(
        &SocketAddressOptions::new()
            .address(address)
            .family(Family::Ipv6),
    )
    .expect("an address")
}

pub fn scenario() {
    // Families that are not 'ipv4' or 'ipv6'.
    {
        let mut bl = BlockList::new();
        attempt(
            "addAddress foo",
            "foo".parse().and_then(|f| bl.add_address("1.1.1.1", f)),
        );
        attempt(
            "addRange foo",
            "foo"
                .parse()
                .and_then(|f| bl.add_range("1.1.1.1", "1.1.1.2", f)),
        );
        attempt(
            "addSubnet empty family",
            "".parse().and_then(|f| bl.add_subnet("", 1, f)),
        );
        out!("rules {}", rules(&bl));
    }

    // Single addresses, as text.
    let address_checks = list(&[
        "1.1.1.1",
        "1.1.1.1 ipv6",
        "8592:757c:efae:4e45:fb5d:d62a:0d00:8e17",
        "8592:757c:efae:4e45:fb5d:d62a:0d00:8e17 ipv6",
        "::ffff:1.1.1.1 ipv6",
        "::ffff:1.1.1.1 IPV6",
        "1.1.1.2",
        "1.2.3.4",
        "::1 ipv6",
    ]);
    {
        let mut bl = BlockList::new();
        bl.add_address("1.1.1.1", Family::Ipv4).expect("rule");
        bl.add_address("8592:757c:efae:4e45:fb5d:d62a:0d00:8e17", fam("ipv6"))
            .expect("rule");
        bl.add_address("::ffff:1.1.1.2", fam("ipv6")).expect("rule");
        checks("text", &bl, &address_checks);
        out!("rules {}", rules(&bl));
    }

    // Single addresses, as SocketAddress values.
    {
        let mut bl = BlockList::new();
        let sa1 = v4("1.1.1.1");
        let sa2 = v6("8592:757c:efae:4e45:fb5d:d62a:0d00:8e17");
        let sa3 = v4("1.1.1.2");
        bl.add_socket_address(&sa1);
        bl.add_socket_address(&sa2);
        bl.add_address("::ffff:1.1.1.2", fam("ipv6")).expect("rule");
        checks("sa", &bl, &address_checks);
        out!("sa check sa1 {}", bl.check_socket_address(&sa1));
        out!("sa check sa2 {}", bl.check_socket_address(&sa2));
        out!("sa check sa3 {}", bl.check_socket_address(&sa3));
        out!("rules {}", rules(&bl));
    }

    // Ranges, as text and as SocketAddress values.
    let mut range_checks = vec!["1.1.1.0".to_string()];
    range_checks.extend((1..=10).map(|n| format!("1.1.1.{n}")));
    range_checks.push("1.1.1.11".into());
    range_checks.push("::0 ipv6".into());
    range_checks.extend((1..=16).map(|n| format!("::{n:x} ipv6")));
    {
        let mut bl = BlockList::new();
        bl.add_range("1.1.1.1", "1.1.1.10", Family::Ipv4)
            .expect("rule");
        bl.add_range("::1", "::f", fam("ipv6")).expect("rule");
        checks("text", &bl, &range_checks);
        out!("rules {}", rules(&bl));
    }
    {
        let mut bl = BlockList::new();
        bl.add_socket_range(&v4("1.1.1.1"), &v4("1.1.1.10"))
            .expect("rule");
        bl.add_socket_range(&v6("::1"), &v6("::f")).expect("rule");
        checks("sa", &bl, &range_checks);
        out!("rules {}", rules(&bl));
    }

    // Subnets, as text and with a SocketAddress network.
    let subnet_checks = list(&[
        "1.1.0.1",
        "1.1.1.1",
        "1.2.0.1",
        "::ffff:1.1.0.1 ipv6",
        "8592:757c:efae:4e45:f:: ipv6",
        "8592:757c:efae:4e45::f ipv6",
        "8592:757c:efae:4f45::f ipv6",
    ]);
    {
        let mut bl = BlockList::new();
        bl.add_subnet("1.1.1.0", 16, Family::Ipv4).expect("rule");
        bl.add_subnet("8592:757c:efae:4e45::", 64, fam("ipv6"))
            .expect("rule");
        checks("text", &bl, &subnet_checks);
        out!("rules {}", rules(&bl));
    }
    {
        let mut bl = BlockList::new();
        bl.add_socket_subnet(&v4("1.1.1.0"), 16).expect("rule");
        bl.add_subnet("8592:757c:efae:4e45::", 64, fam("ipv6"))
            .expect("rule");
        out!("sa check sa2 {}", bl.check_socket_address(&v4("1.1.1.1")));
        checks("sa", &bl, &subnet_checks);
        out!("rules {}", rules(&bl));
    }

    // The rules list, newest first; the family's case does not matter.
    {
        let mut bl = BlockList::new();
        bl.add_address("1.1.1.1", Family::Ipv4).expect("rule");
        bl.add_range("10.0.0.1", "10.0.0.10", Family::Ipv4)
            .expect("rule");
        bl.add_subnet("8592:757c:efae:4e45::", 64, fam("IpV6"))
            .expect("rule");
        out!("rules {}", rules(&bl));
        checks(
            "mixed",
            &bl,
            &list(&[
                "1.1.1.1",
                "10.0.0.5",
                "::ffff:10.0.0.5 ipv6",
                "8592:757c:efae:4e45::f ipv6",
                "123.123.123.123",
                "8592:757c:efaf:4e45:fb5d:d62a:0d00:8e17 ipv6",
                "::ffff:123.123.123.123 ipv6",
            ]),
        );
    }

    // Prefixes not on a byte boundary.
    {
        let mut bl = BlockList::new();
        bl.add_subnet("10.0.0.0", 27, Family::Ipv4).expect("rule");
        bl.add_subnet("8592:757c:efaf::", 51, fam("ipv6"))
            .expect("rule");
        let mut l: Vec<String> = (0..=32).map(|n| format!("10.0.0.{n}")).collect();
        l.extend(list(&[
            "8592:757c:efaf:0:0:0:0:0 ipv6",
            "8592:757c:efaf:1fff:ffff:ffff:ffff:ffff ipv6",
            "8592:757c:efaf:2fff:ffff:ffff:ffff:ffff ipv6",
        ]));
        checks("cidr", &bl, &l);
    }

    // An IPv4 range checked with IPv4 and with IPv4-mapped IPv6 addresses (nodejs/node#39074).
    {
        let mut bl = BlockList::new();
        bl.add_range("10.0.0.2", "10.0.0.10", Family::Ipv4)
            .expect("rule");
        checks(
            "39074",
            &bl,
            &list(&[
                "10.0.0.2",
                "10.0.0.10",
                "192.168.0.3",
                "2.2.2.2",
                "255.255.255.255",
                "::ffff:0a00:0002 ipv6",
                "::ffff:0a00:000a ipv6",
                "::ffff:c0a8:0003 ipv6",
                "::ffff:0202:0202 ipv6",
                "::ffff:ffff:ffff ipv6",
            ]),
        );
    }

    // Errors: a reversed range, prefixes out of range.
    {
        let mut bl = BlockList::new();
        attempt(
            "addRange reversed",
            bl.add_range("1.1.1.2", "1.1.1.1", Family::Ipv4),
        );
        attempt(
            "addRange equal",
            bl.add_range("1.1.1.1", "1.1.1.1", Family::Ipv4),
        );
        attempt(
            "addSubnet 1.1.1.1/-1",
            bl.add_subnet("1.1.1.1", -1, fam("ipv4")),
        );
        attempt(
            "addSubnet 1.1.1.1/33",
            bl.add_subnet("1.1.1.1", 33, fam("ipv4")),
        );
        attempt("addSubnet ::/-1", bl.add_subnet("::", -1, fam("ipv6")));
        attempt("addSubnet ::/129", bl.add_subnet("::", 129, fam("ipv6")));
        out!("rules {}", rules(&bl));
    }

    // A /32 subnet is one address (nodejs/node#43360).
    {
        let mut bl = BlockList::new();
        bl.add_subnet("1.1.1.1", 32, fam("ipv4")).expect("rule");
        checks("43360", &bl, &list(&["1.1.1.1", "1.1.1.2", "2.3.4.5"]));
    }

    // toJSON and fromJSON.
    {
        let rule_list = [
            "Address: IPv4 10.0.0.5",
            "Address: IPv6 ::",
            "Subnet: IPv4 192.168.1.0/24",
            "Subnet: IPv6 8592:757c:efae:4e45::/64",
        ];
        let mut bl = BlockList::new();
        bl.add_address("10.0.0.5", Family::Ipv4).expect("rule");
        bl.add_address("::", fam("ipv6")).expect("rule");
        bl.add_subnet("192.168.1.0", 24, Family::Ipv4)
            .expect("rule");
        bl.add_subnet("8592:757c:efae:4e45::", 64, fam("ipv6"))
            .expect("rule");
        out!("toJSON {}", bl.to_json().join(" | "));
        out!("JSON.stringify {}", bl.to_json_string());

        let mut test2 = BlockList::new();
        // Data that is not an array of strings, given as JSON text.
        for text in ["1", "null", "[1,2,3]", "123", "{}", "\"str\""] {
            attempt(&format!("fromJSON {text}"), test2.from_json_str(text));
        }
        test2.from_json(&["1", "2", "3"]).expect("no rules");
        out!("ignored {}", rules(&test2));
        test2.from_json(&bl.to_json()).expect("rules");
        out!("test2 {}", rules(&test2));
        let mut test3 = BlockList::new();
        test3.from_json_str(&bl.to_json_string()).expect("rules");
        out!("test3 {}", rules(&test3));
        let mut test4 = BlockList::new();
        test4.from_json(&rule_list).expect("rules");
        out!("test4 {}", rules(&test4));
        let mut test5 = BlockList::new();
        for item in rule_list {
            test5.from_json(&[item]).expect("a rule");
        }
        out!("test5 {}", rules(&test5));

        let json_checks = list(&[
            "10.0.0.5 ipv4",
            "10.0.0.6 ipv4",
            ":: ipv6",
            "::1 ipv6",
            "192.168.1.0 ipv4",
            "193.168.1.0 ipv4",
            "8592:757c:efae:4e45:: ipv6",
            "1111:1111:1111:1111:: ipv6",
        ]);
        for (name, l) in [
            ("bl", &bl),
            ("test2", &test2),
            ("test3", &test3),
            ("test4", &test4),
            ("test5", &test5),
        ] {
            checks(name, l, &json_checks);
        }
    }
}
