//! What Node's connect() throws before it starts (test-net-localerror,
//! test-net-autoselectfamily-attempt-timeout-cli-option), returned by `net::try_connect`: a
//! `local_address` that is not an IP address (ERR_INVALID_IP_ADDRESS) and an
//! `auto_select_family_attempt_timeout` of 0 (ERR_OUT_OF_RANGE); on a Unix path connect
//! neither option is checked; an empty `local_address` is no local address, and a timeout of
//! 5 is taken (as 10).
use nodenet::net::{self, ConnectOptions, events::*};

fn t(label: &'static str, opts: ConnectOptions) {
    match net::try_connect(opts) {
        Ok(s) => {
            out!("{label} returned");
            s.on(Error, move |e| out!("{label} error {}", e.code()));
        }
        Err(e) => out!("{label} throws {} {} {}", e.code(), e.name(), e.message()),
    }
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |c| {
        c.end();
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let tcp = || ConnectOptions::from((port, "127.0.0.1"));
        t(
            "localAddress foobar",
            ConnectOptions {
                local_address: Some("foobar".into()),
                ..tcp()
            },
        );
        t(
            "localAddress 1.2.3",
            ConnectOptions {
                local_address: Some("1.2.3".into()),
                ..tcp()
            },
        );
        t(
            "attempt timeout 0",
            ConnectOptions {
                auto_select_family_attempt_timeout: 0,
                ..tcp()
            },
        );
        t(
            "attempt timeout 2^31",
            ConnectOptions {
                auto_select_family_attempt_timeout: 1 << 31,
                ..tcp()
            },
        );
        let missing = std::env::temp_dir().join(format!(
            "nodenet-connect-opt-rs-{}.sock",
            std::process::id()
        ));
        t(
            "path with both",
            ConnectOptions {
                local_address: Some("foobar".into()),
                auto_select_family_attempt_timeout: 0,
                ..ConnectOptions::path(missing.to_string_lossy().into_owned())
            },
        );
        let ok = net::connect(ConnectOptions {
            local_address: Some(String::new()),
            auto_select_family_attempt_timeout: 5,
            ..tcp()
        });
        ok.on(Connect, |_| out!("empty localAddress, timeout 5: connect"));
        ok.on(Close, move |_| {
            server.close();
        });
        ok.resume();
    });
    server.listen((0, "127.0.0.1"));
}
