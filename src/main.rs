fn main() {
    std::process::exit(deepseek_advisor::cli::run());
}
