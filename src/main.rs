fn main() {
    std::process::exit(permanence_panel::cli::main());
}
