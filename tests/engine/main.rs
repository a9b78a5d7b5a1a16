//! The engine layer's tests, one binary: the goldens, seed 002's measurements, deployments,
//! auto repair, the invariant sweep and determinism, each module once a test file of its own.

#[path = "../support/mod.rs"]
mod support;

mod auto_repair;
mod behaviour;
mod deployments;
mod determinism;
mod golden;
mod seed002;
mod service_deployment;
mod sweep;
