//! Node 24's `onread` with `buffer` as a function ([`OnRead::with_buffer_fn`]): the
//! function is asked for a buffer when the socket's handle is made (in connect(), at once;
//! once more for each further address happy eyeballs tries; at once for an adopted
//! BoundSocket), then after every callback, even one that returned false or destroyed the
//! socket. Each read takes at most the length of the buffer made for it. A zero-length
//! buffer fails the read with ENOBUFS: `error`, close(true), no `end`. The client of the
//! first runs starts paused and resumes once the server has sent all of "hello world" and
//! its FIN, so the reads do not hang on timing.
use std::cell::Cell;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::rc::Rc;

use nodenet::net::{
    self, BoundSocket, BoundSocketOptions, ConnectOptions, OnRead, Resolver, Socket, SocketOptions,
    events::*,
};

const MESSAGE: &str = "hello world";

/// The socket a server's `finish` resumes, once it is made.
type Later = Rc<Cell<Option<Socket>>>;

/// A server that ends with [`MESSAGE`] once, then stops listening; `on_listen(port)`, and
/// the socket in `resume` (if set by then) is resumed at the server side's `finish`.
fn serve(on_listen: impl FnOnce(u16) + 'static, resume: Option<Later>) {
    let srv = net::create_server();
    srv.on(Connection, move |c| {
        srv.close();
        c.on(Error, |_| {});
        let resume = resume.clone();
        c.on(Finish, move |_| {
            if let Some(s) = resume.as_ref().and_then(|r| r.get()) {
                s.resume();
            }
        });
        c.end_with(MESSAGE);
    });
    let on_listen = Cell::new(Some(on_listen));
    srv.on(Listening, move |_| {
        let port = srv.address().map(|a| a.port()).unwrap_or(0);
        if let Some(f) = on_listen.take() {
            f(port);
        }
    });
    srv.listen((0, "127.0.0.1"));
}

/// A buffer maker: `sizes` are the lengths of the buffers made, the last one repeated;
/// `makes` counts the calls.
fn maker(
    name: &'static str,
    sizes: &'static [usize],
    makes: Rc<Cell<usize>>,
) -> impl Fn() -> Vec<u8> {
    move || {
        let len = sizes[makes.get().min(sizes.len() - 1)];
        makes.set(makes.get() + 1);
        out!("{name} make {} length {len}", makes.get());
        vec![0; len]
    }
}

fn text(buf: &[u8], n: usize) -> String {
    format!("{:?}", String::from_utf8_lossy(&buf[..n]))
}

fn local(port: u16) -> ConnectOptions {
    (port, "127.0.0.1").into()
}

/// Sizes 2 (as Node's own test: 11 bytes, 6 callbacks, 7 buffers), then 3, 5, 1, 100.
fn sizes(name: &'static str, lens: &'static [usize], next: fn()) {
    let later: Later = Rc::new(Cell::new(None));
    let l2 = later.clone();
    serve(
        move |port| {
            let makes = Rc::new(Cell::new(0));
            let calls = Rc::new(Cell::new(0u32));
            out!("{name} before connect makes {}", makes.get());
            let (m2, c2) = (makes.clone(), calls.clone());
            let onread =
                OnRead::with_buffer_fn(maker(name, lens, makes.clone()), move |s, n, buf| {
                    c2.set(c2.get() + 1);
                    out!(
                        "{name} cb {n} {} length {} makes {} bytesRead {}",
                        text(&buf, n),
                        buf.len(),
                        m2.get(),
                        s.bytes_read()
                    );
                    true
                });
            let s = net::connect(ConnectOptions {
                onread: Some(onread),
                ..local(port)
            });
            out!("{name} after connect makes {}", makes.get());
            l2.set(Some(s));
            s.pause();
            s.on(Data, move |d| out!("{name} DATA {d:?}"));
            let m3 = makes.clone();
            s.on(End, move |_| {
                out!("{name} end makes {} callbacks {}", m3.get(), calls.get())
            });
            s.on(Close, move |had_error| {
                out!("{name} close {had_error} makes {}", makes.get());
                next();
            });
        },
        Some(later),
    );
}

/// The callback returns false at its first call; a timer resumes.
fn stop(next: fn()) {
    let name = "false";
    let later: Later = Rc::new(Cell::new(None));
    let l2 = later.clone();
    serve(
        move |port| {
            let makes = Rc::new(Cell::new(0));
            let calls = Rc::new(Cell::new(0u32));
            let (m2, c2) = (makes.clone(), calls.clone());
            let onread =
                OnRead::with_buffer_fn(maker(name, &[4], makes.clone()), move |s, n, buf| {
                    c2.set(c2.get() + 1);
                    out!("{name} cb {n} {} makes {}", text(&buf, n), m2.get());
                    if c2.get() != 1 {
                        return true;
                    }
                    let (m3, c3) = (m2.clone(), c2.clone());
                    nodenet::set_timeout(20, move || {
                        out!(
                            "{name} timer: makes {} callbacks {} paused {}",
                            m3.get(),
                            c3.get(),
                            s.is_paused()
                        );
                        s.resume();
                    });
                    false
                });
            let s = net::connect(ConnectOptions {
                onread: Some(onread),
                ..local(port)
            });
            l2.set(Some(s));
            s.pause();
            s.on(End, move |_| {
                out!("{name} end makes {} callbacks {}", makes.get(), calls.get())
            });
            s.on(Close, move |had_error| {
                out!("{name} close {had_error}");
                next();
            });
        },
        Some(later),
    );
}

/// Zero-length buffers: from the start, or from the second on.
fn empty(name: &'static str, lens: &'static [usize], next: fn()) {
    let later: Later = Rc::new(Cell::new(None));
    let l2 = later.clone();
    serve(
        move |port| {
            let makes = Rc::new(Cell::new(0));
            let onread =
                OnRead::with_buffer_fn(maker(name, lens, makes.clone()), move |_, n, buf| {
                    out!("{name} cb {n} {}", text(&buf, n));
                    true
                });
            let s = net::connect(ConnectOptions {
                onread: Some(onread),
                ..local(port)
            });
            l2.set(Some(s));
            s.pause();
            s.on(Error, move |e| {
                out!(
                    "{name} error {} {} {}",
                    e.code(),
                    e.syscall().unwrap_or("undefined"),
                    e.message()
                )
            });
            s.on(End, move |_| out!("{name} end"));
            s.on(Close, move |had_error| {
                out!(
                    "{name} close {had_error} makes {} destroyed {}",
                    makes.get(),
                    s.destroyed()
                );
                next();
            });
        },
        Some(later),
    );
}

/// A destroy in the callback: the function is asked once more all the same.
fn destroy_in(next: fn()) {
    let name = "destroy";
    serve(
        move |port| {
            let makes = Rc::new(Cell::new(0));
            let m2 = makes.clone();
            let onread =
                OnRead::with_buffer_fn(maker(name, &[2], makes.clone()), move |s, n, buf| {
                    out!("{name} cb {n} {}", text(&buf, n));
                    s.destroy();
                    out!("{name} destroyed in cb; makes {}", m2.get());
                    true
                });
            let s = Socket::new(SocketOptions {
                onread: Some(onread),
                ..SocketOptions::default()
            });
            out!("{name} new Socket makes {}", makes.get());
            s.connect(local(port));
            out!("{name} connect makes {}", makes.get());
            s.on(Close, move |had_error| {
                out!("{name} close {had_error} makes {}", makes.get());
                next();
            });
        },
        None,
    );
}

/// Happy eyeballs: ::1 (nothing listens there) then 127.0.0.1; the second attempt's
/// handle asks the function again, before `connectionAttempt`.
fn attempts(next: fn()) {
    let name = "attempts";
    serve(
        move |port| {
            let makes = Rc::new(Cell::new(0));
            let m2 = makes.clone();
            let onread =
                OnRead::with_buffer_fn(maker(name, &[64], makes.clone()), move |_, n, buf| {
                    out!("{name} cb {n} {} makes {}", text(&buf, n), m2.get());
                    true
                });
            let s = Socket::new(SocketOptions {
                onread: Some(onread),
                ..SocketOptions::default()
            });
            let (ma, mf, mc) = (makes.clone(), makes.clone(), makes.clone());
            s.on(ConnectionAttempt, move |a| {
                out!("{name} attempt {} makes {}", a.address, ma.get())
            });
            s.on(ConnectionAttemptFailed, move |a| {
                out!("{name} attempt failed {} makes {}", a.address, mf.get())
            });
            s.on(Connect, move |_| {
                out!("{name} connected makes {}", mc.get())
            });
            let lookup = Resolver::new(|_host, _family| {
                Ok(vec![
                    IpAddr::V6(Ipv6Addr::LOCALHOST),
                    IpAddr::V4(Ipv4Addr::LOCALHOST),
                ])
            });
            s.connect(ConnectOptions {
                auto_select_family: true,
                lookup: Some(lookup),
                ..(port, "example.test").into()
            });
            out!("{name} connect makes {}", makes.get());
            s.on(Close, move |had_error| {
                out!("{name} close {had_error} makes {}", makes.get());
                next();
            });
        },
        None,
    );
}

/// An adopted BoundSocket: the handle is there at once, and so is the first buffer.
fn bound(next: fn()) {
    let name = "bound";
    let makes = Rc::new(Cell::new(0));
    let m2 = makes.clone();
    let onread = OnRead::with_buffer_fn(maker(name, &[64], makes.clone()), move |_, n, buf| {
        out!("{name} cb {n} {} makes {}", text(&buf, n), m2.get());
        true
    });
    let socket = BoundSocket::new(BoundSocketOptions::default().host("127.0.0.1")).and_then(|b| {
        Socket::from_bound(
            &b,
            SocketOptions {
                onread: Some(onread),
                ..SocketOptions::default()
            },
        )
    });
    let s = match socket {
        Ok(s) => s,
        Err(e) => {
            out!("{name} failed {}", e.code());
            return;
        }
    };
    out!("{name} new Socket makes {}", makes.get());
    serve(
        move |port| {
            s.connect(local(port));
            out!("{name} connect makes {}", makes.get());
            s.on(Close, move |had_error| {
                out!("{name} close {had_error} makes {}", makes.get());
                next();
            });
        },
        None,
    );
}

pub fn scenario() {
    sizes("two", &[2], || {
        sizes("mixed", &[3, 5, 1, 100], || {
            stop(|| {
                empty("empty-first", &[0], || {
                    empty("empty-later", &[4, 0], || {
                        destroy_in(|| attempts(|| bound(|| {})))
                    })
                })
            })
        })
    });
}
