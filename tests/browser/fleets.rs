//! Large fleets and the sidecar comparison in headless Chromium, time driven by hand: above the
//! dense-view threshold the grid is one canvas whose cells hover and select like tiles; the
//! sidecar preset runs two simulated fleets whose agent updates restart different app tasks.
#![cfg(target_arch = "wasm32")]

use ecs_daemon_sim::ui::dense::DENSE_ABOVE;
use ecs_daemon_sim::ui::sidecar::Comparison;
use ecs_daemon_sim::ui::{App, AppProps, Driver, Msg, Playground, Scenario};
use wasm_bindgen_test::*;

use crate::support::dom::*;

const MINUTE: u64 = 60_000;
const STYLE: &str = include_str!("../../www/style.css");

async fn mount(scenario: Scenario) -> (web_sys::Element, Driver) {
    let root = fresh_root();
    root.set_attribute("style", "width: 1200px").unwrap();
    let driver = Driver::default();
    let props = AppProps { scenario, autoplay: false, driver: Some(driver.clone()), from_page: false };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    settle().await;
    (root, driver)
}

fn mouse(target: &web_sys::Element, kind: &str, x: f64, y: f64) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_x(x as i32);
    init.set_client_y(y as i32);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

fn pixel(canvas: &web_sys::Element, x: u32, y: u32) -> Vec<u8> {
    let read = js_sys::Function::new_with_args(
        "c, x, y",
        "return Array.from(c.getContext('2d').getImageData(x, y, 1, 1).data)",
    );
    let value = read.call3(&wasm_bindgen::JsValue::NULL, canvas, &x.into(), &y.into()).unwrap();
    js_sys::Array::from(&value).iter().map(|v| v.as_f64().unwrap() as u8).collect()
}

#[wasm_bindgen_test]
async fn above_the_threshold_the_grid_is_a_canvas_whose_cells_hover_and_select() {
    let document = gloo::utils::document();
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(STYLE));
    document.head().unwrap().append_child(&style).unwrap();

    // Below the threshold: tiles.
    let (small, driver) = mount(Scenario { instances: 8, ..Scenario::default() }).await;
    send(&driver, Msg::AdvanceBy(10 * MINUTE)).await;
    assert_eq!(count(&small, "#grid .tile"), 8);
    assert!(!exists(&small, "#grid canvas"));
    small.remove();

    let instances = DENSE_ABOVE as u32 + 50;
    let (root, driver) = mount(Scenario { instances, ..Scenario::default() }).await;
    send(&driver, Msg::AdvanceBy(15 * MINUTE)).await;
    next_frames().await;
    assert_eq!(count(&root, "#grid .tile"), 0, "no tiles above the threshold");
    assert!(exists(&root, "#grid.dense canvas#dense-canvas"));
    assert_eq!(attr(&root, "#grid.dense", "data-instances"), Some(instances.to_string()));
    let canvas = root.query_selector("#dense-canvas").unwrap().unwrap();
    let pitch: f64 = attr(&root, "#dense-canvas", "data-pitch").unwrap().parse().unwrap();
    let columns: u32 = attr(&root, "#dense-canvas", "data-columns").unwrap().parse().unwrap();
    assert!(columns > 1, "the canvas was laid out");
    // Every cell is one of the instances: the canvas is as tall as the rows they need.
    let rows = instances.div_ceil(columns);
    assert_eq!(canvas.get_attribute("height").unwrap().parse::<u32>().unwrap(), rows * pitch as u32);

    // Hover the cell of the 4th instance of the second row, then click it.
    let (col, row) = (3u32, 1u32);
    let rect = canvas.get_bounding_client_rect();
    let (x, y) = (rect.left() + col as f64 * pitch + 2.0, rect.top() + row as f64 * pitch + 2.0);
    mouse(&canvas, "mousemove", x, y);
    settle().await;
    let hovered = attr(&root, ".dense-tip", "data-instance").expect("hovering a cell names its instance");
    assert!(text(&root, ".dense-tip").starts_with(&hovered[..8]));
    mouse(&canvas, "click", x, y);
    settle().await;
    assert_eq!(
        attr(&root, "#inspector", "data-instance"),
        Some(hovered.clone()),
        "the click selects that instance and opens it in the inspector"
    );
    // The selected cell is framed in the page's text colour (#16191f); its neighbour is not.
    let (px, py) = (col * pitch as u32, row * pitch as u32);
    assert_eq!(pixel(&canvas, px, py)[..3], [0x16, 0x19, 0x1f]);
    assert_ne!(pixel(&canvas, px + pitch as u32, py)[..3], [0x16, 0x19, 0x1f]);
    root.remove();
    style.remove();
}

#[wasm_bindgen_test]
async fn the_sidecar_preset_runs_two_fleets_whose_agent_updates_restart_different_app_tasks() {
    // The model: the same preset driven by hand, both fleets counted.
    let preset = ecs_daemon_sim::ui::presets::preset("sidecar-vs-daemon").unwrap();
    let mut page = Playground::with_preset(preset);
    page.playing = false;
    let mut minutes = 0;
    while !page.preset_finished() {
        page.advance_by(MINUTE);
        minutes += 1;
        assert!(minutes <= 90, "the preset never ended");
    }
    assert!(matches!(page.preset_result, Some(Ok(_))), "{:?}", page.preset_result);
    let mut comparison = Comparison::new(&page);
    comparison.follow(&page);
    let (sidecar, managed) = comparison.tallies(&page);
    assert!(sidecar.update_done && managed.update_done, "{sidecar:?} {managed:?}");
    assert_eq!(sidecar.desired, managed.desired);
    assert_eq!(
        sidecar.restarted_new_revision, sidecar.desired,
        "every sidecar app task restarted on the new app revision"
    );
    assert_eq!(managed.restarted_new_revision, 0, "no daemon-fleet app task restarted on a new app revision");
    assert_ne!(sidecar.restarted_new_revision, managed.restarted_new_revision);
    assert_eq!((sidecar.app_revisions, managed.app_revisions), (2, 1));
    assert!(managed.moved >= managed.desired, "the daemon fleet's app tasks moved with their instances");
    assert_eq!(sidecar.moved, 0);
    assert!(sidecar.agents > managed.agents && sidecar.agent_cpu > managed.agent_cpu);
    assert_eq!(managed.fewest_running, Some(managed.desired), "no app downtime in the daemon fleet");

    // The page: the two fleets side by side and the same counts in the table.
    let (root, driver) = mount(Scenario::default()).await;
    click(&root, "button.preset[data-preset=sidecar-vs-daemon]");
    driver.send(Msg::TogglePlay);
    settle().await;
    let mut minutes = 0;
    while attr(&root, "#preset-result", "data-met").as_deref() == Some("pending") {
        send(&driver, Msg::AdvanceBy(MINUTE)).await;
        minutes += 1;
        assert!(minutes <= 90, "the preset never ended on the page");
    }
    assert!(exists(&root, "#sidecar-compare #grid .tile"), "the daemon fleet's tiles");
    let cell = |measure: &str, world: &str| {
        text(&root, &format!("#sidecar-table tr[data-measure={measure}] td[data-world={world}]"))
    };
    assert_eq!(cell("restarted", "sidecar"), sidecar.restarted_new_revision.to_string());
    assert_eq!(cell("restarted", "daemon"), "0");
    assert_eq!(cell("app-revisions", "sidecar"), "2");
    assert!(
        cell("agents-per-instance", "daemon").starts_with("1.0"),
        "{}",
        cell("agents-per-instance", "daemon")
    );
    // Every sidecar app task now carries the new agent.
    let chips = count(&root, "#sidecar-fleet .sc-chip[data-status=RUNNING]");
    assert_eq!(chips, sidecar.desired);
    assert_eq!(count(&root, "#sidecar-fleet .sc-chip[data-status=RUNNING][data-agent=v2]"), chips);
    root.remove();
}
