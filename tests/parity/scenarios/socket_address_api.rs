//! SocketAddress as an API, after Node's test/parallel/test-socketaddress.js: the defaults,
//! an IPv4 address with and without a port, an IPv6 one with a flow label, each with its
//! JSON; the options it refuses (family, port, flowlabel) with code and message; and what
//! SocketAddress.parse makes of `host[:port]` text, good and bad. A family given as a
//! number is `Family::try_from`, whose error is the one Node throws for `{ family: 1 }`.
use nodenet::net::address::AddressError;
use nodenet::net::{Family, SocketAddress, SocketAddressOptions as O};

fn show(what: &str, r: Result<SocketAddress, AddressError>) {
    match r {
        Ok(sa) => out!(
            "{what} {} {} {} {} {}",
            sa.address(),
            sa.port(),
            sa.family().as_lower_str(),
            sa.flowlabel(),
            sa.to_json()
        ),
        Err(e) => out!("{what} error {} {}", e.code, e.message),
    }
}

fn make(what: &str, options: O) {
    show(what, SocketAddress::new(&options));
}

pub fn scenario() {
    show("no options", Ok(SocketAddress::default()));
    make("{}", O::new());
    make("ipv4", O::new().address("123.123.123.123"));
    make("ipv4 port", O::new().address("123.123.123.123").port(80));
    make("ipv6", O::new().family_str("ipv6"));
    make("ipv6 flowlabel", O::new().family_str("ipv6").flowlabel(1));

    make("family test", O::new().family_str("test"));
    show(
        "family 1",
        Family::try_from(1u8).and_then(|f| SocketAddress::new(&O::new().family(f))),
    );
    make("port -1", O::new().port(-1));
    make("flowlabel -1", O::new().flowlabel(-1));

    for input in [
        "1.2.3.4",
        "192.168.257:1",
        "256",
        "999999999:12",
        "0xffffffff",
        "0x.0x.0",
        "[1:0::]",
        "[1::8]:123",
        "not an ip",
        "abc.123",
        "259.1.1.1",
        "12:12:12",
    ] {
        let parsed = match SocketAddress::parse(input) {
            None => "undefined".to_string(),
            Some(sa) => format!(
                "{} {} {}",
                sa.address(),
                sa.port(),
                sa.family().as_lower_str()
            ),
        };
        out!("parse {input} {parsed}");
    }
}
