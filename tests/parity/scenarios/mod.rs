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
}
