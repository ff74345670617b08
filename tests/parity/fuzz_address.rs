//! The randomized differential test of the address helpers: random address-like strings
//! through `net.isIP`, `SocketAddress.parse`, `new SocketAddress({ address })` (with the
//! default family and with `ipv6`) and random `BlockList` rules and checks, under Node 24
//! (`js/fuzz_address.js`, all cases in one run) and on nodenet; every result line,
//! error codes and messages included, must be equal.
//!
//! The strings are built from the pieces Node's parsers treat specially: dotted numbers
//! (leading zeros, hex and octal forms, out-of-range parts, too few or too many), IPv6
//! groups (`::`, an IPv4 tail, a `%zone`, brackets), a port, and what a URL authority may
//! hold around a host (`user@`, a path, a query, a fragment, a backslash, percent escapes,
//! fullwidth digits, white space, upper case). Ports go through `new SocketAddress({ port })`
//! as numbers and as strings in the forms JavaScript's `Number()` reads. `NODENET_FUZZ_ADDRESS_SEED` and
//! `NODENET_FUZZ_ADDRESS_CASES` choose the cases (default seed 1, 2,000 cases).

use nodenet::net::address::{Family, PortInput, SocketAddress, SocketAddressOptions, is_ip};
use nodenet::net::blocklist::BlockList;

use crate::harness::{self, Rng};

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(h: &str) -> String {
    let bytes: Vec<u8> = (0..h.len() / 2)
        .filter_map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok())
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// One part of a dotted address.
fn v4_part(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => format!("0{}", rng.below(8)),
        1 => format!("0x{:x}", rng.below(300)),
        2 => format!("{}", rng.below(70000)),
        3 => String::new(),
        4 => format!("{}", 250 + rng.below(10)),
        _ => format!("{}", rng.below(256)),
    }
}

fn v4(rng: &mut Rng) -> String {
    let parts = match rng.below(8) {
        0 => 1 + rng.below(3),
        1 => 5,
        _ => 4,
    };
    let mut s: Vec<String> = (0..parts).map(|_| v4_part(rng)).collect();
    if rng.below(12) == 0 {
        s.push(String::new()); // a trailing dot
    }
    s.join(".")
}

fn group(rng: &mut Rng) -> String {
    const HEX: &[u8] = b"0123456789abcdefABCDEF";
    let n = match rng.below(10) {
        0 => 0,
        1 => 5,
        _ => 1 + rng.below(4),
    };
    (0..n)
        .map(|_| HEX[rng.below(HEX.len() as u64) as usize] as char)
        .collect()
}

fn v6(rng: &mut Rng) -> String {
    let groups = rng.below(10) as usize;
    let mut g: Vec<String> = (0..groups).map(|_| group(rng)).collect();
    if rng.below(3) > 0 {
        let at = rng.below(groups as u64 + 1) as usize;
        g.insert(at, String::new());
        if at == 0 || at == g.len() - 1 {
            g.insert(at, String::new()); // `::` at an end
        }
    }
    let mut s = g.join(":");
    if rng.below(5) == 0 {
        s.push_str(if s.ends_with(':') || s.is_empty() {
            ""
        } else {
            ":"
        });
        s.push_str(&v4(rng));
    }
    if rng.below(6) == 0 {
        s.push('%');
        s.push_str(rng.pick(&[
            (3, "eth0"),
            (1, "1"),
            (1, ""),
            (1, "a@b"),
            (1, "lo.0-x:y"),
            (1, "é"),
        ]));
    }
    if rng.below(4) == 0 {
        s = format!("[{s}]");
    }
    s
}

/// A valid address from a small space, so that rules and checks meet: `10.0.0.x`, the
/// same mapped into IPv6 (`::ffff:10.0.0.x`), and `1::x`.
fn near(rng: &mut Rng) -> String {
    let x = rng.below(20) + if rng.below(4) == 0 { 240 } else { 0 };
    match rng.below(4) {
        0 | 1 => format!("10.0.0.{x}"),
        2 => format!("::ffff:10.0.0.{x}"),
        _ => format!("1::{x:x}"),
    }
}

/// An address-like string: a valid address or a host made of random pieces, sometimes with
/// a port, and sometimes mutated.
fn address(rng: &mut Rng) -> String {
    let mut s = match rng.below(16) {
        0 => rng
            .pick(&[
                (1, "localhost"),
                (1, "::"),
                (1, "0"),
                (1, ""),
                (1, "::ffff:127.0.0.1"),
                (1, "example.com"),
            ])
            .to_string(),
        1..=3 => near(rng),
        4..=5 => format!(
            "{}.{}.{}.{}",
            rng.below(256),
            rng.below(256),
            rng.below(256),
            rng.below(256)
        ),
        6..=7 => {
            let g: Vec<String> = (0..8)
                .map(|_| format!("{:x}", rng.below(0x10000)))
                .collect();
            let ip: std::net::Ipv6Addr =
                g.join(":").parse().unwrap_or(std::net::Ipv6Addr::LOCALHOST);
            if rng.below(2) == 0 {
                ip.to_string()
            } else {
                g.join(":")
            }
        }
        8..=11 => v4(rng),
        _ => v6(rng),
    };
    if rng.below(6) == 0 {
        s.push(':');
        s.push_str(rng.pick(&[
            (2, "80"),
            (2, "443"),
            (1, ""),
            (1, "0"),
            (1, "65535"),
            (1, "65536"),
            (1, "08"),
            (1, "x"),
        ]));
    }
    match rng.below(40) {
        0 => s.insert_str(0, "user@"),
        1 => s.push_str("/path"),
        2 => s.push_str("?q"),
        3 => s.push_str("#f"),
        4 => s.push('\\'),
        5 => s = s.replacen('1', "%31", 1),
        6 => s = s.replacen('1', "１", 1),
        7 => s = s.to_uppercase(),
        8 => s.push(' '),
        9 => s.insert(0, '\t'),
        10 => s = s.replacen('.', "。", 1),
        11 => s = format!("[{s}]"),
        _ => {}
    }
    s
}

/// An address for a block list's rules and checks: mostly from the small space.
fn rule_address(rng: &mut Rng) -> String {
    if rng.below(4) == 0 {
        address(rng)
    } else {
        near(rng)
    }
}

/// The family to give with `a`: mostly its own, sometimes the other.
fn family_of(rng: &mut Rng, a: &str) -> &'static str {
    match (a.contains(':'), rng.below(6) == 0) {
        (true, false) | (false, true) => "ipv6",
        _ => "ipv4",
    }
}

fn blocklist_case(rng: &mut Rng) -> String {
    let ops = 1 + rng.below(10);
    let mut out = Vec::new();
    for _ in 0..ops {
        let a = rule_address(rng);
        let f = family_of(rng, &a);
        out.push(match rng.below(4) {
            0 => format!("a:{}:{f}", hex(&a)),
            1 => {
                // The end mostly of the start's kind: both mapped, or neither.
                let b = if rng.below(3) == 0 {
                    rule_address(rng)
                } else {
                    let n = near(rng);
                    let n = n.strip_prefix("::ffff:").unwrap_or(&n).to_string();
                    match (
                        a.starts_with("::ffff:"),
                        a.starts_with("1::"),
                        n.starts_with("1::"),
                    ) {
                        (true, _, false) => format!("::ffff:{n}"),
                        (false, true, false) => format!("1::{:x}", rng.below(300)),
                        _ => n,
                    }
                };
                format!("r:{}:{}:{f}", hex(&a), hex(&b))
            }
            2 => {
                let prefix = match rng.below(8) {
                    0 => rng.below(132) as i64 - 1,
                    1..=3 => 24 + rng.below(9) as i64,
                    _ => 96 + rng.below(33) as i64,
                };
                format!("s:{}:{prefix}:{f}", hex(&a))
            }
            _ => format!("c:{}:{f}", hex(&a)),
        });
    }
    format!("B {}", out.join(";"))
}

/// A port as a caller may give it: a number (integral or not, negative, huge, -0, NaN,
/// infinite) or a string in any of the forms JavaScript's `Number()` reads, or almost.
fn port_case(rng: &mut Rng) -> String {
    if rng.below(2) == 0 {
        let n = match rng.below(8) {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => -0.0,
            3 => rng.below(70000) as f64 + 0.5,
            4 => -(rng.below(100) as f64),
            5 => (1u64 << 32) as f64 + rng.below(100) as f64,
            6 => 10f64.powi(rng.below(25) as i32),
            _ => rng.below(70000) as f64,
        };
        let text = if n.is_infinite() {
            "Infinity".to_string()
        } else {
            format!("{n:?}")
        };
        return format!("P n {text}");
    }
    let digits = rng.below(70000).to_string();
    let s = match rng.below(14) {
        0 => format!("0x{:X}", rng.below(70000)),
        1 => format!("0o{:o}", rng.below(70000)),
        2 => format!("0b{:b}", rng.below(300)),
        3 => format!(" {digits}\t"),
        4 => format!("\u{a0}{digits}\u{feff}"),
        5 => format!("{digits}.0"),
        6 => format!("{}e{}", rng.below(10), rng.below(6)),
        7 => format!("+{digits}"),
        8 => format!("-{digits}"),
        9 => rng
            .pick(&[
                (1, ""),
                (1, " "),
                (1, "-0"),
                (1, "Infinity"),
                (1, "0x"),
                (1, ".5"),
                (1, "5."),
                (1, "1_000"),
                (1, "0x1G"),
                (1, "abcdefghijklmnopqrstuvwxyz0123456789"),
            ])
            .to_string(),
        10 => format!("{digits}x"),
        11 => format!("0{digits}"),
        _ => digits,
    };
    format!("P s {}", hex(&s))
}

fn generate(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 | 1 => blocklist_case(rng),
        2 => port_case(rng),
        _ => format!("A {}", hex(&address(rng))),
    }
}

fn fam(f: &str) -> Family {
    if f == "ipv6" {
        Family::Ipv6
    } else {
        Family::Ipv4
    }
}

fn made(r: Result<SocketAddress, nodenet::net::address::AddressError>) -> String {
    match r {
        Ok(sa) => format!(
            "{} {} {}",
            sa.address(),
            sa.port(),
            sa.family().as_lower_str()
        ),
        Err(e) => format!("{} {}", e.code, e.message).replace('\n', "\\n"),
    }
}

/// nodenet's line for one case, as the JS driver prints it.
fn line(case: &str) -> String {
    if let Some(h) = case.strip_prefix("A ") {
        let s = unhex(h);
        let parse = match SocketAddress::parse(&s) {
            None => "undefined".to_string(),
            Some(p) => format!("{} {} {}", p.address(), p.port(), p.family().as_lower_str()),
        };
        let v4 = made(SocketAddress::new(
            &SocketAddressOptions::new().address(s.clone()),
        ));
        let v6 = made(SocketAddress::new(
            &SocketAddressOptions::new()
                .address(s.clone())
                .family(Family::Ipv6),
        ));
        return format!("isIP {} | parse {parse} | v4 {v4} | v6 {v6}", is_ip(&s));
    }
    if let Some(p) = case.strip_prefix("P ") {
        let port = match p.split_once(' ') {
            Some(("n", v)) => PortInput::Number(v.parse().unwrap_or(f64::NAN)),
            Some((_, v)) => PortInput::Str(unhex(v)),
            None => PortInput::Str(String::new()),
        };
        return format!(
            "port {}",
            made(SocketAddress::new(&SocketAddressOptions::new().port(port)))
        );
    }
    let mut bl = BlockList::new();
    let mut res = Vec::new();
    for op in case.trim_start_matches("B ").split(';') {
        let f: Vec<&str> = op.split(':').collect();
        let r = match (f[0], f.len()) {
            ("a", 3) => bl.add_address(&unhex(f[1]), fam(f[2])).map(|_| "ok".into()),
            ("r", 4) => bl
                .add_range(&unhex(f[1]), &unhex(f[2]), fam(f[3]))
                .map(|_| "ok".into()),
            ("s", 4) => bl
                .add_subnet(&unhex(f[1]), f[2].parse().unwrap_or(0), fam(f[3]))
                .map(|_| "ok".into()),
            ("c", 3) => Ok(bl.check(&unhex(f[1]), fam(f[2])).to_string()),
            _ => continue,
        };
        res.push(match r {
            Ok(s) => s,
            Err(e) => format!("{} {}", e.code, e.message).replace('\n', "\\n"),
        });
    }
    format!("{} | rules {}", res.join(" | "), bl.to_json_string())
}

#[test]
fn fuzz_address() {
    let cases = harness::fuzz_scripts("NODENET_FUZZ_ADDRESS", 2000, &[], generate);
    let Some(dir) = harness::fresh_dir("fuzz_address") else {
        panic!("fuzz_address: no directory for the cases");
    };
    let file = dir.join("cases.txt");
    std::fs::write(&file, cases.join("\n")).expect("write the cases");
    let node = harness::run_node("fuzz_address", &[file.to_str().unwrap_or_default()]);
    let _ = std::fs::remove_dir_all(&dir);
    let ours: Vec<String> = cases
        .iter()
        .map(|c| line(c))
        .chain(["exit".to_string()])
        .collect();
    let diffs: Vec<String> = cases
        .iter()
        .zip(node.iter().zip(&ours))
        .filter(|(_, (a, b))| a != b)
        .map(|(c, (a, b))| {
            let input = c
                .strip_prefix("A ")
                .map(|h| format!("{:?}", unhex(h)))
                .unwrap_or_else(|| c.clone());
            format!("{input}\n  node:    {a}\n  nodenet: {b}")
        })
        .collect();
    assert!(
        diffs.is_empty() && node.len() == ours.len(),
        "fuzz_address: {} of {} cases differ ({} lines from Node, {} from nodenet):\n{}",
        diffs.len(),
        cases.len(),
        node.len(),
        ours.len(),
        diffs.join("\n")
    );
}
