//! The rollout plan of ../rust-native, in headless Chromium: same steps, same assertions, and the
//! same event-log hash as natively and in Node.

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn agent_2_rolls_out_a_quarter_of_the_fleet_at_a_time_without_app_downtime() {
    daemon_rollout::assert_plan_holds(&daemon_rollout::run());
}
