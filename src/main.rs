use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    dcmm::cli::run(dcmm::cli::Cli::parse())
}
