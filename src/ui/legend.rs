//! The grid's visual vocabulary in one place: the words a chip shows for a task status, the hue of
//! each daemon revision, and the legend that explains every colour, pattern, outline and chip. The
//! tiles and the legend read the same tables, so the legend cannot drift from what is drawn.

use yew::prelude::*;

/// Revision hues, picked apart from the status colours (grey, yellow, green, orange, purple): a
/// rollout from :1 to :2 reads as a wave of a new hue across the grid, a rollback as its return.
pub const REVISION_HUES: [&str; 6] = ["#1f5fbf", "#c2185b", "#00838f", "#6d4c41", "#5c6bc0", "#827717"];

/// The revision number of a daemon task definition (`monitoring-agent:2` → 2).
pub fn revision_number(task_definition: &str) -> Option<u32> {
    task_definition.rsplit(':').next()?.parse().ok()
}

/// Revision numbers of the daemon on the fleet now (the legend's hue swatches), lowest first.
pub fn revisions_on_fleet(model: &super::model::Playground) -> Vec<u32> {
    let mut revisions: Vec<u32> = model
        .deployment()
        .map(|d| d.revisions.iter().filter_map(|(r, _, _)| revision_number(r)).collect())
        .unwrap_or_default();
    revisions.sort_unstable();
    revisions.dedup();
    revisions
}

/// The stable hue of a revision number (1 → the first hue).
pub fn revision_hue(revision: u32) -> &'static str {
    REVISION_HUES[(revision.max(1) as usize - 1) % REVISION_HUES.len()]
}

/// How a task status reads on a chip: a symbol (so it does not rest on colour) and a word.
pub fn chip_words(status: &str, held: bool) -> (&'static str, &'static str) {
    match status {
        "RUNNING" => ("▶", "running"),
        "PROMISED" | "PROVISIONING" | "PENDING" | "ACTIVATING" if held => ("‖", "held"),
        "PROMISED" => ("…", "waiting"),
        "PROVISIONING" | "PENDING" | "ACTIVATING" => ("◔", "starting"),
        "DEACTIVATING" | "STOPPING" | "DEPROVISIONING" => ("■", "stopping"),
        "STOPPED" => ("✕", "stopped"),
        "NOT_CREATED" => ("✕", "not created"),
        _ => ("?", "unknown"),
    }
}

/// The status word of a tile and the symbol that carries it without colour.
pub fn instance_words(status: &str) -> (&'static str, &'static str) {
    match status {
        "PROVISIONING" => ("◌", "launching"),
        "REGISTERING" => ("◷", "registering"),
        "ACTIVE" => ("●", "active"),
        "DRAINING" => ("⇢", "draining"),
        "DEREGISTERING" => ("⤓", "deregistering"),
        "TERMINATED" | "INACTIVE" => ("✕", "terminated"),
        "REGISTRATION_FAILED" => ("!", "registration failed"),
        _ => ("?", "unknown"),
    }
}

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    /// Revisions present on the fleet (numbers), for their hue swatches.
    pub revisions: Vec<u32>,
    /// One line of swatches (embeds) instead of the full list.
    #[prop_or(false)]
    pub compact: bool,
}

/// Every colour, pattern, outline and chip state of the grid, drawn with the tiles' own classes.
#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    let tile = |class: &'static str, status: &'static str, text: &'static str| {
        let (symbol, word) = instance_words(status);
        html! {
            <li class="legend-item">
                <span class={classes!("tile", "swatch-tile", class)} aria-hidden="true">{ symbol }</span>
                <span><b>{ word }</b>{ text }</span>
            </li>
        }
    };
    let chip = |status: &'static str, held: bool, text: &'static str| {
        let (symbol, word) = chip_words(status, held);
        let class = if held { "held".to_string() } else { status.to_ascii_lowercase().replace('_', "-") };
        html! {
            <li class="legend-item">
                <span class={classes!("chip", "app", class)}>{ format!("{symbol} {word}") }</span>
                <span>{ text }</span>
            </li>
        }
    };
    let mut revisions = props.revisions.clone();
    if revisions.is_empty() {
        revisions = vec![1, 2];
    }
    let hues = html! {
        { for revisions.iter().map(|r| html! {
            <li class="legend-item">
                <span class="chip daemon revision" style={format!("--rev: {}", revision_hue(*r))}>{ format!("agent :{r}") }</span>
                <span>{ format!("daemon revision :{r} (its own hue on every tile)") }</span>
            </li>
        }) }
    };
    if props.compact {
        return html! {
            <ul class="legend compact" aria-label="Legend">
                { tile("provisioning", "PROVISIONING", "") }
                { tile("registering", "REGISTERING", "") }
                { tile("active", "ACTIVE", "") }
                { tile("draining", "DRAINING", "") }
                { tile("deregistering", "DEREGISTERING", "") }
                { hues }
            </ul>
        };
    }
    html! {
        <ul class="legend" aria-label="Legend">
            { tile("provisioning", "PROVISIONING", ": the EC2 instance boots (grey, dashed edge)") }
            { tile("registering", "REGISTERING", ": held until its critical daemon is running (dotted edge)") }
            { tile("active", "ACTIVE", ": takes app tasks") }
            { tile("draining", "DRAINING", ": app tasks move to a replacement first (stripes)") }
            { tile("draining batch", "DRAINING", " in the deployment's batch (double outline)") }
            { tile("deregistering", "DEREGISTERING", ": drain-last, its daemon stops last (cross-hatch)") }
            { tile("active impaired", "ACTIVE", " with a red edge: its daemon is impaired (a fault)") }
            { tile("active linked", "ACTIVE", " with a dashed blue outline: linked to the selected tile (replacement)") }
            { tile("terminated ghost", "TERMINATED", ": shrinks away") }
            { hues }
            { chip("RUNNING", false, "task running") }
            { chip("PENDING", false, "task starting (pending, activating)") }
            { chip("PROMISED", false, "app task promised to a launching instance") }
            { chip("PENDING", true, "app task held until the daemon runs (daemon first)") }
            { chip("STOPPING", false, "task stopping (deactivating, deprovisioning)") }
            { chip("STOPPED", false, "task stopped") }
            { chip("NOT_CREATED", false, "daemon task could not be created") }
        </ul>
    }
}
