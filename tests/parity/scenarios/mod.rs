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

scenarios! {
    seed_hello,
    seed_greet,
    seed_close,
    seed_unref,
    client_ends_first,
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
    get_connections,
    max_connections,
    half_open,
    write_after_end,
    uncaught_error,
    uncaught_connect,
    destroy_soon,
    reset_and_destroy,
    idle_timeout,
    pause_on_connect,
    late_reader,
    write_after_peer_end,
    close_order,
}
