//! The timeline chart (SVG): app tasks running vs desired, instances per status, deployment phases
//! as bands, fault markers; hovering shows the time and values under the pointer.

use super::model::{format_clock, Sample, DEPLOYMENT_PHASES};
use std::rc::Rc;
use yew::prelude::*;

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 220.0;
const PAD_LEFT: f64 = 36.0;
const PAD_BOTTOM: f64 = 20.0;

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub samples: Rc<Vec<Sample>>,
    /// (simulated ms, label) of each injected fault.
    pub faults: Rc<Vec<(u64, String)>>,
}

struct Series {
    class: &'static str,
    label: &'static str,
    value: fn(&Sample) -> u32,
}

const SERIES: [Series; 6] = [
    Series { class: "app-running", label: "app running", value: |s| s.app_running },
    Series { class: "app-desired", label: "app desired", value: |s| s.app_desired },
    Series { class: "registering", label: "registering", value: |s| s.registering },
    Series { class: "active", label: "active", value: |s| s.active },
    Series { class: "draining", label: "draining", value: |s| s.draining },
    Series { class: "deregistering", label: "deregistering", value: |s| s.deregistering },
];

#[function_component(Chart)]
pub fn chart(props: &ChartProps) -> Html {
    let hover = use_state(|| None::<usize>);
    let samples = &props.samples;
    if samples.len() < 2 {
        return html! { <p class="hint" id="chart-empty">{ "The chart fills in as time runs." }</p> };
    }
    let t0 = samples[0].at_ms as f64;
    let t1 = (samples[samples.len() - 1].at_ms as f64).max(t0 + 1.0);
    let max_y = samples
        .iter()
        .map(|s| SERIES.iter().map(|series| (series.value)(s)).max().unwrap_or(0))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let x = move |t: u64| PAD_LEFT + (t as f64 - t0) / (t1 - t0) * (WIDTH - PAD_LEFT - 4.0);
    let y = move |v: u32| (HEIGHT - PAD_BOTTOM) - v as f64 / max_y * (HEIGHT - PAD_BOTTOM - 8.0);

    // Deployment phases as bands: runs of equal phase.
    let mut bands = Vec::new();
    let mut start = 0;
    for i in 1..=samples.len() {
        if i == samples.len() || samples[i].deployment_phase != samples[start].deployment_phase {
            if let Some(phase) = samples[start].deployment_phase {
                let end = samples[i.min(samples.len() - 1)].at_ms;
                bands.push((samples[start].at_ms, end, DEPLOYMENT_PHASES[phase as usize]));
            }
            start = i;
        }
    }
    let on_move = {
        let hover = hover.clone();
        let n = samples.len();
        Callback::from(move |e: MouseEvent| {
            let Some(svg) =
                e.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            else {
                return;
            };
            let rect = svg.get_bounding_client_rect();
            let fx = (e.client_x() as f64 - rect.left()) / rect.width().max(1.0) * WIDTH;
            let frac = ((fx - PAD_LEFT) / (WIDTH - PAD_LEFT - 4.0)).clamp(0.0, 1.0);
            hover.set(Some(((n - 1) as f64 * frac).round() as usize));
        })
    };
    let on_leave = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| hover.set(None))
    };
    let hovered = hover.and_then(|i| samples.get(i));
    html! {
        <figure class="chart" id="chart">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" preserveAspectRatio="none"
                aria-label="Timeline: app tasks running and desired, instances per status, deployment phases and faults"
                onmousemove={on_move} onmouseleave={on_leave}>
                { for bands.iter().map(|(a, b, phase)| html! {
                    <rect class={classes!("band", phase.to_ascii_lowercase())} x={x(*a).to_string()} y="0"
                        width={(x(*b) - x(*a)).max(1.0).to_string()} height={(HEIGHT - PAD_BOTTOM).to_string()}>
                        <title>{ *phase }</title>
                    </rect>
                }) }
                <line class="axis" x1={PAD_LEFT.to_string()} x2={WIDTH.to_string()}
                    y1={(HEIGHT - PAD_BOTTOM).to_string()} y2={(HEIGHT - PAD_BOTTOM).to_string()} />
                <text class="tick" x="2" y="12">{ max_y }</text>
                <text class="tick" x="2" y={(HEIGHT - PAD_BOTTOM).to_string()}>{ "0" }</text>
                <text class="tick" x={PAD_LEFT.to_string()} y={(HEIGHT - 4.0).to_string()}>{ format_clock(t0 as u64) }</text>
                <text class="tick end" x={(WIDTH - 4.0).to_string()} y={(HEIGHT - 4.0).to_string()} text-anchor="end">{ format_clock(t1 as u64) }</text>
                { for SERIES.iter().map(|series| {
                    let points: String = samples
                        .iter()
                        .map(|s| format!("{:.1},{:.1} ", x(s.at_ms), y((series.value)(s))))
                        .collect();
                    html! { <polyline class={classes!("series", series.class)} points={points}><title>{ series.label }</title></polyline> }
                }) }
                { for props.faults.iter().filter(|(t, _)| (*t as f64) >= t0 && (*t as f64) <= t1).map(|(t, label)| html! {
                    <g class="fault-marker">
                        <line x1={x(*t).to_string()} x2={x(*t).to_string()} y1="0" y2={(HEIGHT - PAD_BOTTOM).to_string()} />
                        <title>{ label.clone() }</title>
                    </g>
                }) }
                if let Some(s) = hovered {
                    <line class="cursor" x1={x(s.at_ms).to_string()} x2={x(s.at_ms).to_string()} y1="0" y2={(HEIGHT - PAD_BOTTOM).to_string()} />
                }
            </svg>
            <figcaption>
                <ul class="chart-legend">
                    { for SERIES.iter().map(|series| html! { <li class={series.class}>{ series.label }</li> }) }
                    <li class="band-key">{ "shaded: deployment phase" }</li>
                    <li class="fault-key">{ "red line: fault" }</li>
                </ul>
                <p class="hover" id="chart-hover" aria-live="polite">
                    { hovered.map(|s| format!(
                        "{}: app {}/{} · registering {} · active {} · draining {} · deregistering {}",
                        format_clock(s.at_ms), s.app_running, s.app_desired, s.registering, s.active, s.draining, s.deregistering
                    )).unwrap_or_else(|| "Hover the chart for values.".into()) }
                </p>
            </figcaption>
        </figure>
    }
}
