//! One module per scenario, each with its JS twin in `js/<name>.js`.

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name;
            #[test]
            fn $name() {
                crate::harness::check(stringify!($name), self::$name::scenario);
            }
        )*
    };
}

/// Scenarios that change process-wide state: each runs with no other scenario beside it.
macro_rules! scenarios_alone {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name;
            #[test]
            fn $name() {
                crate::harness::check_alone(stringify!($name), self::$name::scenario);
            }
        )*
    };
}

/// Scenarios run in a network namespace of their own on each side, where the shell
/// commands beside the name set up the fault they meet (see `harness::check_in_netns`).
/// They listen and connect on fixed ports: nothing else lives in their namespace.
macro_rules! scenarios_in_netns {
    ($($name:ident => $setup:expr),* $(,)?) => {
        $(
            mod $name;
            #[test]
            fn $name() {
                crate::harness::check_in_netns(stringify!($name), $setup, self::$name::scenario);
            }
        )*
    };
}

scenarios_in_netns! {
    // Every SYN to port 4000 dropped, and one retry only: the connect times out after
    // about 3 s (1 s, then 2 s more) where the default would wait two minutes.
    fault_syn_blackhole => "sysctl -qw net.ipv4.tcp_syn_retries=1
        nft add table inet f
        nft add chain inet f in '{ type filter hook input priority 0; }'
        nft add rule inet f in tcp dport 4000 drop",
    // Two ephemeral ports, and no reuse of one in TIME_WAIT: the third connection to one
    // address finds no local port.
    fault_ports_exhausted => "sysctl -qw net.ipv4.ip_local_port_range='40000 40001'
        sysctl -qw net.ipv4.tcp_tw_reuse=0",
    // No IPv6 on loopback: a connect to ::1 fails in the connect call.
    fault_no_ipv6 => "sysctl -qw net.ipv6.conf.lo.disable_ipv6=1",
    // Three retransmissions before a connection with unanswered data times out (the
    // scenario drops every packet to its server once connected, with `nft`: listing the
    // empty rule set names it here, so a machine without it skips the scenario).
    fault_peer_vanishes => "sysctl -qw net.ipv4.tcp_retries2=3
        nft list ruleset",
    // Nothing to set up: the scenario drops every packet to its server once connected
    // (with `nft`, named here as above).
    fault_keepalive_dead_peer => "nft list ruleset",
    // Loopback only: no route anywhere else.
    fault_no_route => ":",
    // SYNs to four ports answered by nft: three ICMP errors and a TCP reset.
    fault_icmp_rejects => "nft add table inet f
        nft add chain inet f in '{ type filter hook input priority 0; }'
        nft add rule inet f in tcp dport 6001 reject with icmp type host-unreachable
        nft add rule inet f in tcp dport 6002 reject with icmp type net-unreachable
        nft add rule inet f in tcp dport 6003 reject with icmp type admin-prohibited
        nft add rule inet f in tcp dport 6004 reject with tcp reset",
    // Loopback only: no address of either family that AI_ADDRCONFIG counts.
    fault_local_family => ":",
    // No reuse of a connection in TIME_WAIT for a new one to the same place.
    fault_time_wait_port => "sysctl -qw net.ipv4.tcp_tw_reuse=0",
    // A slow link that loses packets: loopback at a 1500-byte MTU (with its default of
    // 64 KiB, a segment outgrows the bucket's burst and is never sent) behind a 20 Mbit/s
    // token bucket, and 5% of the packets to port 5000 dropped at random.
    fault_lossy_link => "ip link set lo mtu 1500
        tc qdisc add dev lo root tbf rate 20mbit burst 32kb latency 100ms
        nft add table inet f
        nft add chain inet f in '{ type filter hook input priority 0; }'
        nft add rule inet f in tcp dport 5000 numgen random mod 100 '<' 5 drop",
    // Every SYN to port 4000 dropped: the connect hangs while its idle timeout fires.
    fault_connect_idle_timeout => "nft add table inet f
        nft add chain inet f in '{ type filter hook input priority 0; }'
        nft add rule inet f in tcp dport 4000 drop",
    // Nothing to set up: a namespace of its own, so the ports given to listen and to a
    // client's local side are free.
    listen_given_port => ":",
}

scenarios_alone! {
    default_auto_select_family,
    warnings_default_max_listeners,
}

scenarios! {
    seed_hello,
    seed_greet,
    seed_close,
    seed_unref,
    client_ends_first,
    end_then_destroy_unread,
    destroy_buffered_data,
    fin_after_data_next_iteration,
    ticks_between_callbacks,
    server_ends_first,
    destroy,
    destroy_err,
    econnrefused,
    eaddrinuse,
    close_with_connection,
    close_not_running,
    unref_exit,
    unref_alone,
    utf8_split,
    pause_resume,
    write_callbacks,
    write_before_connect,
    destroy_before_connect,
    end_before_connect,
    end_without_connect,
    end_then_destroy_unconnected,
    get_connections,
    max_connections,
    half_open,
    write_after_end,
    write_unconnected,
    uncaught_error,
    uncaught_connect,
    destroy_soon,
    reset_and_destroy,
    reset_after_end,
    idle_timeout,
    pause_on_connect,
    late_reader,
    readable_event,
    pause_resume_events,
    readable_server_side,
    errored_property,
    write_after_peer_end,
    close_order,
    backpressure,
    addresses,
    loop_phases,
    timer_after_slow_callback,
    timeout_after_slow_callback,
    interval_after_slow_timer,
    relisten,
    happy_eyeballs,
    happy_eyeballs_all_fail,
    happy_eyeballs_bind_then_block,
    happy_eyeballs_reconnect,
    lookup_callback,
    accept_after_reset,
    unix_connect_attempts,
    lookup_fails,
    reconnect,
    block_list,
    block_list_api,
    socket_address_api,
}

// Helpers of the scenarios with a slow callback.
mod slow_util;

// The driver of the scenarios made of lettered parts, one connection each.
mod parts_util;

// Issue 3: the byte stream (writable, readable, closing, pipe), encodings, timeouts and
// options, properties. Helpers shared by these scenarios:
mod s3_util;

scenarios! {
    s3_hwm_values,
    s3_hwm_zero_connecting,
    s3_write_return_kernel,
    s3_drain_cycles,
    s3_destroy_inflight,
    s3_cork,
    s3_sync_cork,
    s3_end_forms,
    s3_epipe_closed_peer,
    s3_peer_reset_midtransfer,
    s3_read_n,
    s3_recv_hwm_stall,
    s3_pipe_echo,
    s3_pipe_backpressure,
    s3_pipe_proxy,
    s3_pipe_paused_source,
    s3_write_encodings,
    s3_decode_utf8,
    s3_decode_utf16le,
    s3_decode_base64,
    s3_decode_stateless,
    s3_decode_surrogates,
    s3_encoding_names,
    s3_large_string,
    s3_latin1_echo,
    s3_set_encoding_buffered,
    s3_timeout_no_handle,
    s3_timeout_unref,
    s3_timeout_activity,
    s3_timeout_in_handler,
    s3_fresh_socket,
    s3_ready_state_walk,
    s3_byte_counters,
    s3_after_close,
    s3_half_open_client,
    s3_end_handler_write,
    s3_destroy_soon_queued,
    s3_reset_connecting,
    s3_socket_options,
    s3_server_options,
    s3_cork_many,
    s3_ipv6_family,
    s3_read_large_n,
    s3_flowing_states,
    type_of_service,
    connect_local_side,
    connect_option_errors,
    lookup_after_destroy,
    bytes_written_large,
    write_slow,
    listen_path_missing_dir,
    paused_connection_unref,
    listen_readable_writable_all,
    fd_not_a_socket,
    bound_socket,
    onread,
    onread_fn,
}

// The `signal` option (AbortSignal) of listen, connect and new Socket.
scenarios! {
    abort_listen,
    abort_listen_pre,
    abort_connecting,
    abort_connected,
    abort_connect_pre,
    abort_after_close,
}

// Ports of Node's own test/parallel/test-net-*.js (see COVERAGE.md): the behaviour, in
// our own code.
scenarios! {
    listen_close_sync,
    listen_twice,
    listen_bind_errors,
    listen_ipv6_only_reuse_port,
    destroy_chains,
    lookup_events,
    connect_then_cancel,
    pingpong,
    pause_resume_connecting,
    server_close_drain,
    happy_eyeballs_ipv4_first,
    happy_eyeballs_six,
    happy_eyeballs_local_bind,
    timeout_after_fin,
    cork_while_connecting,
    happy_eyeballs_attempt_timeout,
    server_reset_all,
    socket_ref_unref_connecting,
    unix_path_errors,
    unix_reset_and_destroy,
    unix_server_address,
    pipe_unpipe,
    timers_overdue_by_list,
    accept_one_per_iteration,
}

// Found by the differential test (`fuzz.rs`), each with its fix.
scenarios! {
    fuzz_connect_flush_callbacks,
    fuzz_drain_after_end_uncork,
    fuzz_destroy_connecting_queued,
}

// Ports of Node's test/pummel and test/internet test-net-*.js: the behaviour, scaled down,
// on loopback.
scenarios! {
    many_clients_reconnect,
    pause_mid_stream,
    timeout_echo,
    timeout_write_activity,
    write_callbacks_many,
}

// Ports of Node's test/sequential test-net-*.js: the behaviour, on loopback.
scenarios! {
    huge_write_peer_destroys,
    econnrefused_default_host,
    econnrefused_many,
    reconnect_refused,
    listen_host_errors,
}

// Ports of Node's test/parallel test-timers-*.js and test-next-tick-*.js: the loop's
// orderings and liveness rules for ticks, immediates and timers.
scenarios! {
    timers_tick_starvation,
    timers_clear_from_callbacks,
    timers_immediate_queue,
    timers_immediate_unref,
    timers_nested_same_delay,
    timers_refresh,
    timers_unref,
    timers_interval_unref_in_callback,
    timers_delays,
    timers_socket_timeout_other_unref,
    timers_interval_rearm,
}

// Process warnings (Node's test-event-emitter-*max-listeners* and test-timers' delays
// over 32 bits).
scenarios! {
    warnings_max_listeners,
    warnings_socket_timeout,
}

// Ports of Node's test-stream-* (readable side): the behaviour a socket's reader sees, on
// loopback.
scenarios! {
    stream_readable_listener_removed,
    stream_unshift_in_data,
    stream_pipe_dest_states,
    stream_readable_hwm_zero,
}

// Ports of Node's test-stream-* (writable side)
scenarios! {
    wstream_need_drain,
    wstream_end_after_end,
    wstream_end_in_listeners,
    wstream_cork_count,
    wstream_props,
}

// Ports of Node's test-stream2-*.js and test-stream3-*.js: read(n) up to the end of data and
// with encodings, pause/resume/unshift between consumers, pipes unpiped from a destination
// that awaits drain.
// end() on a socket destroyed before `close` (a known difference until fixed).
scenarios! {
    end_after_destroy,
}

// Node's setDefaultEncoding and readableDidRead on a socket.
scenarios! {
    default_encoding,
    readable_did_read,
}

scenarios! {
    stream2_read_n,
    stream3_pause_then_read,
    stream2_unpipe,
    stream2_pipe_error_once,
}

// Known differences from Node 24, kept out of the list above so the suite stays green;
// run with `cargo test --test parity known_difference -- --ignored` to see them.
macro_rules! known_differences {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name;
        )*
        mod known_difference {
            $(
                #[test]
                #[ignore = "a known difference from Node 24: see the scenario's docs"]
                fn $name() {
                    crate::harness::check(stringify!($name), super::$name::scenario);
                }
            )*
        }
    };
}

known_differences! {
    timers_refresh_fired,
}
