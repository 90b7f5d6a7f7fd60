//! The `ocrqa` binary: parse arguments, run, map the outcome to an exit code.

mod cli;

fn main() {
    std::process::exit(cli::run());
}

// The library allocates small strings by the million; see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
