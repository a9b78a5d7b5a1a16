//! The instance grid's layout with the playground's real stylesheet, in headless Chromium: the grid
//! is cut into chunks that are grids of their own (so the browser lays out and paints only the
//! chunks that changed and are on screen), and the chunks must still read as one grid: every tile
//! in the column its position gives, at any width, also after a resize.
#![cfg(target_arch = "wasm32")]

use ecs_daemon_sim::ui::{App, AppProps, Driver, Msg, Scenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::support::dom::*;

const STYLE: &str = include_str!("../../www/style.css");

fn elements(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length()).filter_map(|i| nodes.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
}

/// Checks that the provider's tiles, in order, fill the columns row by row with no gap at chunk
/// boundaries (tile i sits in column i mod columns); returns the column count.
fn assert_one_grid(root: &web_sys::Element) -> usize {
    let tiles = elements(root, "#grid .provider .tile");
    assert!(tiles.len() > 100, "{} tiles", tiles.len());
    // Layout positions (offsetLeft): a tile's entry animation scales it, which moves its client rect.
    let left: Vec<i32> = tiles
        .iter()
        .map(|t| t.dyn_ref::<web_sys::HtmlElement>().expect("a tile is an HTML element").offset_left())
        .collect();
    let columns = left.iter().skip(1).position(|x| *x <= left[0]).map(|i| i + 1).unwrap_or(left.len());
    for (i, x) in left.iter().enumerate() {
        assert_eq!(
            *x,
            left[i % columns],
            "tile {i} is not in column {} of {columns} (chunk sizes {:?})",
            i % columns,
            elements(root, "#grid .tile-chunk").iter().map(|c| c.child_element_count()).collect::<Vec<_>>()
        );
    }
    let chunks = elements(root, "#grid .tile-chunk");
    for chunk in &chunks[..chunks.len() - 1] {
        assert_eq!(chunk.child_element_count() as usize % columns, 0, "a chunk ends mid-row");
    }
    columns
}

#[wasm_bindgen_test]
async fn chunks_of_the_grid_line_up_as_one_grid_at_every_width() {
    let document = gloo::utils::document();
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(STYLE));
    document.head().unwrap().append_child(&style).unwrap();
    let root = fresh_root();
    root.set_attribute("style", "width: 1400px").unwrap();
    let driver = Driver::default();
    let scenario = Scenario { instances: 150, ..Scenario::default() };
    let props = AppProps { scenario, autoplay: false, driver: Some(driver.clone()), from_page: false };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    settle().await;
    send(&driver, Msg::AdvanceBy(15 * 60_000)).await;
    next_frames().await;
    assert!(count(&root, "#grid .tile-chunk") > 1, "150 tiles make several chunks");

    // Chunks of a fixed 64 tiles leave a gap at every chunk's end unless the column count divides
    // 64: the widths below give column counts that do not.
    let mut counts = Vec::new();
    for width in [1400, 1150, 900, 760] {
        root.set_attribute("style", &format!("width: {width}px")).unwrap();
        next_frames().await;
        counts.push(assert_one_grid(&root));
    }
    assert!(counts.iter().any(|c| 64 % c != 0), "no width tried tests a chunk ending mid-row: {counts:?}");
    root.remove();
    style.remove();
}

/// The benchmark page opens for its own parameter only: a playground link whose values merely
/// contain the word must open the playground.
#[wasm_bindgen_test]
fn only_the_bench_parameter_opens_the_benchmark_page() {
    use ecs_daemon_sim::ui::bench::requested;
    for search in ["?bench", "?bench=1", "?sizes=100&bench", "?bench&sizes=10000"] {
        assert!(requested(search), "{search}");
    }
    for search in ["", "?", "?preset=bench", "?benchmark=1", "?lesson=bench-intro", "?x=bench&y=2"] {
        assert!(!requested(search), "{search}");
    }
}
