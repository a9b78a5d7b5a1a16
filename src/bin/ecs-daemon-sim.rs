//! The native command-line program.

fn main() {
    println!("ecs-daemon-sim {}", env!("CARGO_PKG_VERSION"));
}
