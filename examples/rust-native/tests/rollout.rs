//! The rollout plan checked in `cargo test`: a quarter of the fleet at a time, no app downtime,
//! and the deployment ends SUCCESSFUL as EventBridge reports it.

#[test]
fn agent_2_rolls_out_a_quarter_of_the_fleet_at_a_time_without_app_downtime() {
    daemon_rollout::assert_plan_holds(&daemon_rollout::run());
}
