//! The page's panels: the grid, presets, time controls, the deployment, the actions and knobs,
//! the drawer's tabs, the tile menu and help. Views only: what they send is `update`'s to apply.

use super::*;

impl App {
    /// The speed playback runs at now (explain mode slows a new key moment).
    pub(super) fn effective_speed(&self) -> f64 {
        if self.story.slow_until.is_some() {
            self.model.speed.min(EXPLAIN_SPEED)
        } else {
            self.model.speed
        }
    }

    /// The fleet: tiles or the dense view, beside the sidecar fleet in the sidecar comparison.
    pub(super) fn view_grid(&self) -> Html {
        let grid =
            dense::grid_or_dense(self.tiles.clone(), self.model.selected.clone(), self.on_menu.clone());
        match &self.sidecar {
            Some(comparison) => sidecar::view(comparison, &self.model, grid),
            None => grid,
        }
    }

    pub(super) fn view_presets(&self, ctx: &Context<Self>) -> Html {
        let current = self.model.preset();
        html! {
            <section class="presets" aria-label="Scenario presets">
                <div class="preset-buttons">
                    { for PRESETS.iter().map(|p| {
                        let id = p.id;
                        html! {
                            <button class="preset" data-preset={id}
                                aria-pressed={(current.map(|c| c.id) == Some(id)).to_string()}
                                onclick={ctx.link().callback(move |_| Msg::LoadPreset(id))}>{ p.title }</button>
                        }
                    }) }
                </div>
                if let Some(p) = current {
                    <p class="caption" id="preset-caption" data-preset={p.id}>
                        { (p.caption)(&self.model) }
                        if let Some(note) = &self.boot_note {
                            <span class="boot-note" id="boot-note">{ format!(" {note}") }</span>
                        }
                        { match &self.model.preset_result {
                            None if self.model.playing => html! { <span id="preset-result" class="result running" data-met="pending">{ " · playing…" }</span> },
                            None => html! { <span id="preset-result" class="result paused" data-met="pending">{ " · paused: press Play to go on" }</span> },
                            Some(Ok(text)) => html! { <span id="preset-result" class="result met" data-met="true">{ format!(" ✓ {text} (the run is paused; any action resumes it)") }</span> },
                            Some(Err(text)) => html! { <span id="preset-result" class="result unmet" data-met="false">{ format!(" ✗ {text}") }</span> },
                        } }
                    </p>
                }
            </section>
        }
    }

    pub(super) fn view_time(&self, ctx: &Context<Self>) -> Html {
        let m = &self.model;
        let link = ctx.link();
        let horizon = m.horizon().max(1);
        let on_seek = link.callback(|e: InputEvent| Msg::Seek(input_value(&e).parse::<u64>().unwrap_or(0)));
        html! {
            <section class="time-controls" aria-label="Time controls">
                <button id="play" onclick={link.callback(|_| Msg::TogglePlay)} aria-pressed={(!m.playing).to_string()}
                    title="Play / pause (space)">
                    { if m.playing { "Pause" } else { "Play" } }
                </button>
                <button id="step" onclick={link.callback(|_| Msg::StepEvent)} title="Step to the next event (→)">{ "Step ▸" }</button>
                <button id="reset" onclick={link.callback(|_| Msg::Reset)} title="Replay the scenario from its seed">{ "Reset" }</button>
                { clock_and_speed(m, link) }
                <label class="scrubber">
                    <span class="visually-hidden">{ "Seek" }</span>
                    <input id="scrubber" type="range" min="0" max={horizon.to_string()} step="1000"
                        value={m.elapsed().to_string()} oninput={on_seek}
                        aria-label="Seek to a simulated time (replays the run from its seed)"
                        aria-valuetext={format_clock(m.elapsed())} />
                </label>
                <button id="fork" onclick={link.callback(|_| Msg::ForkHere)} disabled={!m.has_future()}
                    title="Drop everything recorded after this point">{ "Fork here" }</button>
            </section>
        }
    }

    pub(super) fn view_summary(&self) -> Html {
        let c = self.model.status_counts();
        let (running, desired) = self.model.app_counts();
        let item = |id: &'static str, label: &'static str, n: u32| {
            html! { <li class={classes!("count", id)}><span class="swatch"></span>{ label }<b id={format!("count-{id}")}>{ n }</b></li> }
        };
        html! {
            <ul class="summary" aria-label="Instances per status">
                { item("provisioning", "provisioning", c.provisioning) }
                { item("registering", "registering", c.registering) }
                { item("active", "active", c.active) }
                { item("draining", "draining", c.draining) }
                { item("deregistering", "deregistering", c.deregistering) }
                <li class="count app-tasks"><span class="swatch"></span>{ "app tasks running" }
                    <b id="app-running">{ format!("{running} / {desired}") }</b></li>
            </ul>
        }
    }

    pub(super) fn view_deployment(&self) -> Html {
        let Some(d) = self.model.deployment() else {
            return html! {
                <section class="panel deployment" aria-label="Deployment">
                    <h2>{ "Deployment" }</h2>
                    <p id="deployment-status" data-status="NONE">{ "No daemon deployment yet." }</p>
                </section>
            };
        };
        let running =
            matches!(d.status, "PENDING" | "IN_PROGRESS" | "ROLLBACK_IN_PROGRESS" | "STOP_REQUESTED");
        // Batch numbers and replacement counts only while something is (or was) replaced: a daemon
        // created before its fleet replaces nothing, and its instances get the daemon as they register.
        let replacing = d.draining > 0 || d.replaced > 0;
        let nothing_replaced = (!replacing).then(|| {
            if d.instances_in_scope == 0 {
                "The provider had no instances when it started: nothing to replace. Each instance gets the daemon as it registers.".to_string()
            } else if running {
                format!("Nothing is being replaced yet ({} instances in scope).", d.instances_in_scope)
            } else {
                format!(
                    "No instance needed replacing: the {} instances were launching when it started, and each gets the daemon as it registers.",
                    d.instances_in_scope
                )
            }
        });
        let progress = if d.instances_in_scope == 0 {
            100.0
        } else {
            (d.replaced as f64 / d.instances_in_scope as f64 * 100.0).min(100.0)
        };
        html! {
            <section class="panel deployment" aria-label="Deployment">
                <h2>{ "Deployment" }</h2>
                <p>
                    <span id="deployment-status" class={classes!("badge", d.status.to_ascii_lowercase())} data-status={d.status}>{ d.status }</span>
                    { format!(" → {}", d.target_revision) }
                </p>
                <p class="visually-hidden" aria-live="polite" id="deployment-announce">
                    { format!("Deployment {} to {}", d.status.replace('_', " ").to_lowercase(), d.target_revision) }
                </p>
                if let Some(note) = &nothing_replaced {
                    <p class="reason" id="deployment-empty">{ note }</p>
                } else if let Some(reason) = &d.status_reason {
                    <p class="reason">{ reason }</p>
                }
                if replacing {
                    <progress id="deployment-progress" max="100" value={format!("{progress:.0}")}
                        aria-label="Instances replaced">{ format!("{progress:.0}%") }</progress>
                }
                <dl class="facts">
                    if running && replacing {
                        <dt>{ "batch" }</dt><dd id="deployment-batch">{ format!("{} of {} (size {})", d.batch_number, d.batch_count, d.batch_size) }</dd>
                    }
                    if replacing {
                        <dt>{ "replaced" }</dt><dd>{ format!("{} of {}{}", d.replaced, d.instances_in_scope,
                            if running { format!(" ({} draining)", d.draining) } else { String::new() }) }</dd>
                    }
                    <dt>{ "drainPercent" }</dt><dd>{ format!("{}", d.drain_percent) }</dd>
                    <dt>{ "circuit breaker" }</dt><dd id="breaker">{ format!("{} / {} · {}", d.failure_count, d.threshold, d.breaker_status) }</dd>
                    <dt>{ "alarms" }</dt><dd>{ d.alarm_status }</dd>
                    if let Some(bake) = d.bake_remaining_ms {
                        <dt>{ "bake" }</dt><dd id="bake">{ format!("{} left", format_clock(bake)) }</dd>
                    }
                </dl>
                <table class="revisions">
                    <caption>{ "Instances per revision" }</caption>
                    <thead><tr><th>{ "revision" }</th><th>{ "running" }</th><th>{ "draining" }</th></tr></thead>
                    <tbody>
                        { for d.revisions.iter().map(|(r, run, drain)| html! {
                            <tr><td>{ r }</td><td>{ run }</td><td>{ drain }</td></tr>
                        }) }
                    </tbody>
                </table>
            </section>
        }
    }

    /// The controls a story needs next to it at every size: drainPercent (with the batch it gives),
    /// Deploy, and the fleet-wide faults. Instance faults are in the inspector.
    pub(super) fn view_actions(&self, ctx: &Context<Self>) -> Html {
        let m = &self.model;
        let link = ctx.link();
        let batch = m.batch_size_for(m.drain_percent);
        html! {
            <section class="actions" aria-label="drainPercent, deploy and faults">
                <div class="knob drain" title="batch size = max(1, floor(N × drainPercent / 100))">
                    <label for="drain-percent">{ "drainPercent" }</label>
                    <input id="drain-percent" type="range" min="0" max="100" step="5" value={m.drain_percent.to_string()}
                        oninput={link.callback(|e: InputEvent| Msg::SetDrainPercent(parse_f64(&input_value(&e)).unwrap_or(DEFAULT_DRAIN_PERCENT)))} />
                    <output>{ format!("{}%", m.drain_percent) }</output>
                    if m.instances_in_scope() == 0 {
                        // Nothing to divide yet (a fleet still launching, or a console script's own
                        // cluster): a batch of 0 of 0 would read as a broken rule.
                        <span class="hint" id="batch-hint">{ "no instances in the playground provider to divide yet" }</span>
                    } else {
                        <span class="hint">{ "batches of " }<b id="batch-size">{ batch }</b>{ format!(" of {}", m.instances_in_scope()) }</span>
                    }
                </div>
                <button id="deploy" class="primary" onclick={link.callback(|_| Msg::DeployRevision)}>
                    { format!("Deploy {}:{}", crate::ui::model::DAEMON, m.daemon_revision() + 1) }
                </button>
                <div class="faults" role="group" aria-label="Faults">
                    <span class="faults-label">{ "Faults:" }</span>
                    <button id="fault-capacity" aria-pressed={m.launch_blocked.to_string()} onclick={link.callback(|_| Msg::ToggleLaunchBlocked)}>
                        { if m.launch_blocked { "Launches again" } else { "Block launches" } }
                    </button>
                    <button id="fault-alarm" aria-pressed={m.alarm_in_alarm.to_string()} onclick={link.callback(|_| Msg::ToggleAlarm)}>
                        { if m.alarm_in_alarm { "Alarm → OK" } else { "Alarm → ALARM" } }
                    </button>
                    <label class="check" title="The next revision's image fails to pull">
                        <input id="fault-bad-image" type="checkbox" checked={m.bad_image_armed}
                            onchange={link.callback(|e: Event| Msg::ArmBadImage(event_checked(&e)))} />
                        { "bad image next" }
                    </label>
                    <crate::ui::auto_repair::AutoRepairSwitch enabled={m.auto_repair()} held={m.repair_held()} on_change={link.callback(Msg::SetAutoRepair)} />
                </div>
            </section>
        }
    }

    pub(super) fn view_knobs(&self, ctx: &Context<Self>) -> Html {
        let m = &self.model;
        let link = ctx.link();
        let (_, desired) = m.app_counts();
        html! {
            <section class="panel knobs" aria-label="More knobs">
                <h2>{ "More knobs" }</h2>
                <p class="hint">{ "Click a tile to inspect it and aim a fault at it (right-click: quick menu)." }</p>
                <label for="desired-count">{ "app tasks (service desiredCount; the fleet follows)" }</label>
                <div class="knob">
                    <input id="desired-count" type="number" min="0" max="200" value={desired.to_string()}
                        onchange={link.callback(|e: Event| Msg::SetDesiredCount(event_value(&e).parse().unwrap_or(0)))} />
                </div>
                <label for="bake">{ "bake time (minutes)" }</label>
                <div class="knob">
                    <input id="bake" type="number" min="0" max={MAX_BAKE_TIME_MINUTES.to_string()} value={m.bake_minutes.to_string()}
                        onchange={link.callback(|e: Event| Msg::SetBakeMinutes(event_value(&e).parse().unwrap_or(0)))} />
                </div>
                <label for="daemon-cpu">{ "daemon cpu units / memory MiB (next revision)" }</label>
                <div class="knob pair">
                    <input id="daemon-cpu" type="number" min="128" max="4096" step="128" value={m.daemon_cpu.to_string()}
                        aria-label="daemon cpu units"
                        onchange={link.callback(|e: Event| Msg::SetDaemonCpu(event_value(&e).parse().unwrap_or(256)))} />
                    <input id="daemon-memory" type="number" min="128" max="16384" step="128" value={m.daemon_memory.to_string()}
                        aria-label="daemon memory MiB"
                        onchange={link.callback(|e: Event| Msg::SetDaemonMemory(event_value(&e).parse().unwrap_or(512)))} />
                </div>
            </section>
        }
    }

    pub(super) fn view_tabs(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let tab = |t: Tab, id: &'static str, label: &'static str| {
            html! {
                <button role="tab" id={id} aria-selected={(self.tab == t).to_string()}
                    onclick={link.callback(move |_| Msg::SelectTab(t))}>{ label }</button>
            }
        };
        html! {
            <section class={classes!("tabs", "drawer", self.drawer_open.then_some("open"))} aria-label="Event log, timeline and console">
                <div role="tablist" aria-label="Views">
                    { tab(Tab::Events, "tab-events", "Event log") }
                    { tab(Tab::Timeline, "tab-timeline", "Timeline") }
                    { tab(Tab::Console, "tab-console", "Console (AWS CLI)") }
                    <button class="drawer-toggle" id="drawer-toggle" aria-expanded={self.drawer_open.to_string()}
                        onclick={link.callback(|_| Msg::ToggleDrawer)}>
                        { if self.drawer_open { "▾ hide" } else { "▴ show" } }
                    </button>
                </div>
                <div role="tabpanel" hidden={!self.drawer_open}>
                    { match self.tab {
                        Tab::Events => html! {
                            <EventLog events={self.event_view.clone()} total={self.model.event_count()}
                                pattern={self.pattern.clone()} error={self.pattern_error.clone()}
                                on_pattern={link.callback(Msg::SetPattern)}
                                on_highlight={link.callback(|id| Msg::Select(Some(id)))} />
                        },
                        Tab::Console => self.view_console(ctx),
                        Tab::Timeline => html! {
                            <Chart samples={Rc::new(self.model.samples().to_vec())} faults={Rc::new(self.fault_marks())} />
                        },
                    } }
                </div>
            </section>
        }
    }

    /// Recomputes the event log's rows (newest first, pattern-filtered) when events arrived or the
    /// pattern changed.
    pub(super) fn sync_events(&mut self, force: bool) {
        let shown = self.drawer_open && self.tab == Tab::Events;
        if !(force || shown) {
            // Not on screen: rebuilt when shown (the count kept here no longer matches then). At
            // 10,000 instances the 200 newest rows were all new on every frame, a hidden list
            // rebuilt sixty times a second.
            self.event_view_count = usize::MAX;
            return;
        }
        let count = self.model.event_count();
        if !force && count == self.event_view_count {
            return;
        }
        self.event_view_count = count;
        // Newest first and lazily: only the events scanned are turned into JSON (once each, cached
        // by the model), so without a pattern a frame converts at most EVENT_ROWS new events.
        let rows: Vec<Rc<serde_json::Value>> = (0..count)
            .rev()
            .take(EVENT_SCAN_LIMIT)
            .filter_map(|index| self.model.event_json(index))
            .filter(|e| self.parsed_pattern.as_ref().map(|p| p.matches(e)).unwrap_or(true))
            .take(EVENT_ROWS)
            .collect();
        self.event_view = Rc::new(rows);
    }

    pub(super) fn fault_marks(&self) -> Vec<(u64, String)> {
        self.model.log().iter().filter(|c| c.is_fault).map(|c| (c.at_ms, c.label.clone())).collect()
    }

    pub(super) fn view_console(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let state = console_panel::ConsoleView {
            console: &self.model.console,
            script: if self.model.console.running() { &self.model.console.text } else { &self.script },
            line: self.model.script_line(),
            sleep_remaining_ms: self.model.script_sleep_remaining_ms(),
        };
        let callbacks = console_panel::ConsoleCallbacks {
            input: link.callback(Msg::SetScript),
            run: link.callback(|_| Msg::RunScript),
            stop: link.callback(|_| Msg::StopScript),
            step: link.callback(|_| Msg::ScriptStep),
            skip: link.callback(|_| Msg::SkipSleep),
            after: link.callback(|_| Msg::RunAfter),
        };
        console_panel::view(&state, &callbacks)
    }

    pub(super) fn view_menu(&self, ctx: &Context<Self>) -> Html {
        let Some(menu) = &self.menu else { return html! {} };
        let link = ctx.link();
        let item = |fault: TileFault, action: &'static str, label: &'static str| {
            let id = menu.instance_id.clone();
            html! {
                <button role="menuitem" data-action={action}
                    onclick={link.callback(move |e: MouseEvent| { e.stop_propagation(); Msg::Fault(fault, id.clone()) })}>
                    { label }
                </button>
            }
        };
        let style = format!("left: {}px; top: {}px", menu.x.max(0), menu.y.max(0));
        html! {
            <div id="tile-menu" class="menu" role="menu" style={style}
                aria-label={format!("Faults for instance {}", menu.instance_id)}
                data-instance={menu.instance_id.clone()}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                { item(TileFault::StopDaemon, "stop-daemon", "Stop daemon task") }
                { item(TileFault::MakeUnhealthy, "unhealthy", "Make daemon unhealthy") }
                { item(TileFault::Terminate, "terminate", "Terminate instance") }
                <button role="menuitem" data-action="close" onclick={link.callback(|e: MouseEvent| { e.stop_propagation(); Msg::CloseMenu })}>{ "Cancel" }</button>
            </div>
        }
    }

    pub(super) fn view_help(&self, ctx: &Context<Self>) -> Html {
        html! {
            <div class="help" role="dialog" aria-modal="true" aria-label="Shortcuts and legend" tabindex="-1" ref={self.help_ref.clone()}>
                <h2>{ "Keyboard" }</h2>
                <dl>
                    <dt>{ "space" }</dt><dd>{ "play / pause" }</dd>
                    <dt>{ "→" }</dt><dd>{ "step to the next event" }</dd>
                    <dt>{ "1 – 9" }</dt><dd>{ SPEED_KEYS.iter().map(|s| format!("{s}×")).collect::<Vec<_>>().join(", ") }</dd>
                    <dt>{ "?" }</dt><dd>{ "this help" }</dd>
                    <dt>{ "click or Enter on a tile" }</dt><dd>{ "inspect it: its timeline, why it is in its state, its faults" }</dd>
                    <dt>{ "right-click or menu key on a tile" }</dt><dd>{ "its fault menu" }</dd>
                </dl>
                <h2>{ "Legend" }</h2>
                <Legend revisions={revisions_on_fleet(&self.model)} />
                <button onclick={ctx.link().callback(|_| Msg::ToggleHelp)}>{ "Close" }</button>
            </div>
        }
    }
}

/// The simulated clock and the speed slider: the same controls on the full page and in an embed.
pub(crate) fn clock_and_speed(model: &Playground, link: &Scope<App>) -> Html {
    let on_speed = link.callback(|e: InputEvent| {
        Msg::SetSpeed(slider_to_speed(input_value(&e).parse::<u32>().unwrap_or(0)))
    });
    html! {
        <>
            <span class="clock" id="clock" aria-live="off" title="Simulated time since the scenario began"
                data-elapsed-ms={model.elapsed().to_string()}>
                { format_clock(model.elapsed()) }
            </span>
            <label class="speed">
                <span>{ "Speed" }</span>
                <input id="speed" type="range" min="0" max="1000" step="1"
                    value={speed_to_slider(model.speed).to_string()} oninput={on_speed}
                    aria-valuetext={format!("{}×", model.speed)} />
                <output id="speed-value">{ format!("{}×", model.speed) }</output>
            </label>
            { pace_note(model) }
        </>
    }
}

/// Said beside the speed while the simulation cannot keep up with it (see [`crate::ui::pace`]).
pub(super) fn pace_note(model: &Playground) -> Html {
    match model.pace.behind(model.speed).filter(|_| model.playing) {
        Some(reached) => html! {
            <span id="pace" class="pace behind" role="status" data-reached={format!("{reached:.0}")}
                style="color: var(--fault); font-size: .85rem; font-weight: 600"
                title="The engine's work per frame is limited so that the page stays responsive: the clock runs slower than the chosen speed until there is less to simulate per second.">
                { format!("⚠ simulation behind: {reached:.0}× of {}×", model.speed) }
            </span>
        },
        None => html! { <span id="pace" class="pace" role="status" /> },
    }
}

pub(crate) fn input_value(e: &InputEvent) -> String {
    e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

pub(super) fn event_value(e: &Event) -> String {
    e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

pub(super) fn event_checked(e: &Event) -> bool {
    e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| i.checked()).unwrap_or(false)
}
