//! First page: proves the render loop and the build. A grid of tiles whose status colour cycles on a
//! requestAnimationFrame loop, with a pause button. The real playground replaces it.

use gloo::render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

const TILE_COUNT: usize = 24;
/// Animation frames a tile keeps one colour; at 60 fps a tile changes about twice a second.
const FRAMES_PER_STATUS: u64 = 30;
const STATUSES: [&str; 4] = ["registering", "active", "draining", "deregistering"];

pub enum AppMsg {
    Frame,
    TogglePause,
}

pub struct App {
    frame: u64,
    paused: bool,
    _next_frame: Option<AnimationFrame>,
}

impl App {
    fn schedule_frame(ctx: &Context<Self>) -> AnimationFrame {
        let link = ctx.link().clone();
        request_animation_frame(move |_| link.send_message(AppMsg::Frame))
    }

    fn tile_status(&self, index: usize) -> &'static str {
        let phase = (index as u64 + self.frame / FRAMES_PER_STATUS) % STATUSES.len() as u64;
        STATUSES[phase as usize]
    }
}

impl Component for App {
    type Message = AppMsg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        Self { frame: 0, paused: false, _next_frame: Some(Self::schedule_frame(ctx)) }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            AppMsg::Frame => {
                if self.paused {
                    return false;
                }
                self.frame += 1;
                self._next_frame = Some(Self::schedule_frame(ctx));
                self.frame.is_multiple_of(FRAMES_PER_STATUS)
            }
            AppMsg::TogglePause => {
                self.paused = !self.paused;
                self._next_frame = (!self.paused).then(|| Self::schedule_frame(ctx));
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let toggle = ctx.link().callback(|_| AppMsg::TogglePause);
        html! {
            <main class="app">
                <header>
                    <h1>{ "ecs-daemon-sim" }</h1>
                    <button id="pause" onclick={toggle} aria-pressed={self.paused.to_string()}>
                        { if self.paused { "Play" } else { "Pause" } }
                    </button>
                </header>
                <section id="grid" class="grid" aria-label="container instances">
                    { for (0..TILE_COUNT).map(|i| html! {
                        <div key={i} class={classes!("tile", self.tile_status(i))} data-status={self.tile_status(i)}>
                            { format!("i-{i:04}") }
                        </div>
                    }) }
                </section>
            </main>
        }
    }
}
