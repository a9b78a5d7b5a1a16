//! The capacity provider's auto-repair switch: a labelled on/off control for the playground's
//! provider and, while it is off, the instances it leaves as they failed.
//!
//! The switch only reports the learner's choice (`on_change`); the app sends it as
//! UpdateCapacityProvider through the playground's recorded run, so share links and replays switch
//! it at the same simulated moment.

use crate::engine::snapshot::REPAIR_HELD;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AutoRepairProps {
    /// `autoRepairConfiguration.actionsStatus == ENABLED`.
    pub enabled: bool,
    /// Instances held as they failed: (container instance id, health statusReason).
    pub held: Vec<(String, String)>,
    pub on_change: Callback<bool>,
}

#[function_component(AutoRepairSwitch)]
pub fn auto_repair_switch(props: &AutoRepairProps) -> Html {
    let onclick = {
        let (on_change, enabled) = (props.on_change.clone(), props.enabled);
        Callback::from(move |_: MouseEvent| on_change.emit(!enabled))
    };
    let hint = if props.enabled {
        "On: an instance whose critical daemon task stops or turns unhealthy is drained and replaced."
    } else {
        REPAIR_HELD
    };
    html! {
        <div class="auto-repair">
            <button id="auto-repair" role="switch" aria-checked={props.enabled.to_string()} title={hint} {onclick}>
                { if props.enabled { "Auto repair: on" } else { "Auto repair: off" } }
            </button>
            <p class="hint" id="auto-repair-hint">{ hint }</p>
            if !props.held.is_empty() {
                <ul id="auto-repair-held" aria-label="Instances left IMPAIRED">
                    { for props.held.iter().map(|(id, reason)| html! {
                        <li key={id.clone()}>
                            { format!("{} ACTIVE · IMPAIRED · {reason}", id.get(..8).unwrap_or(id)) }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}
