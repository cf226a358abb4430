fn main() {
    std::process::exit(permanence_panel::cli::main());
}

/// mimalloc rather than the system's allocator: an import makes and frees
/// millions of small values (a field, a row), and with it a year's return
/// imports in 0.81 of the time (`farm-bench` on Linux, 100,000
/// children).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
