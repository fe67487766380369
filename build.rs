//! Links the `tinfeed` binary as a position-dependent executable on Linux.
//!
//! A PIE is relocated by the dynamic loader at every start: this binary has about 76,000
//! relative relocations, and applying them writes (so copies) every page of its 1.9 MB of
//! `.data.rel.ro`. `tinfeed once` is started by cron or a timer for each run, so that cost is
//! paid per crawl: linked with `-no-pie`, `tinfeed --version` drops from 2.6 ms and 660 page
//! faults to 1.2 ms and 200, and job (a) of bench/crawl.sh (168 pages) uses about 5 % less CPU
//! and 4 MB less memory. Only the binary is linked so (tests and benches link as usual), and
//! the code stays position-independent.
//!
//! The price is that the binary's own code and data load at a fixed address (libraries, heap
//! and stack are still randomized). Build with `TINFEED_PIE=1` to keep a PIE.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=TINFEED_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if linux && std::env::var_os("TINFEED_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
