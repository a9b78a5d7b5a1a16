//! The interpreter's [`Backend`] over the simulated account ([`Api`]): what the native program and
//! the playground's console run scripts against.

use super::Backend;
use crate::api::{Api, AwsError};
use serde_json::Value;

impl Backend for Api {
    fn call(&mut self, service: &str, action: &str, input: Value) -> Result<Value, AwsError> {
        Api::call(self, service, action, &input)
    }

    fn sleep_ms(&mut self, ms: u64) {
        self.advance_by(ms);
    }

    fn now_ms(&self) -> u64 {
        Api::now_ms(self)
    }

    fn sim(&mut self, args: &[String]) -> Result<String, AwsError> {
        Api::sim(self, args)
    }
}
