//! Moving a run in and out of the page: starting from the URL or the autosave, import, autosave,
//! share and export, the embed mode and lessons.

use super::*;

/// The run of a page with this query: the URL's scenario, else the `saved` one (the autosave),
/// else the defaults (playing when `autoplay`). The full page and an embed both start here, so an
/// embed of a shared link replays the same run.
pub(super) fn page_run(
    query: &str,
    saved: Option<String>,
    autoplay: bool,
    notices: &mut Vec<Notice>,
) -> Playground {
    let (source, mut found, rejected) = share::choose(query, saved.as_deref());
    if rejected {
        if let Some(text) = &saved {
            persist::reject_saved(text);
        }
    }
    let mut model = share::start(&source, &mut found);
    if source == share::Source::Defaults {
        model.playing = autoplay;
    }
    if let share::Source::Autosave(_) = source {
        // A saved run that was refused while being rebuilt is kept too.
        if found.iter().any(|n| n.subject == "autosave" && n.warning) {
            if let Some(text) = &saved {
                persist::reject_saved(text);
            }
        }
    }
    notices.extend(found);
    model
}

impl App {
    /// Replaces the run with an imported scenario file, or leaves it as it was and says why the
    /// file was refused (AWS-style: the error type, then what is wrong).
    pub(super) fn import(&mut self, ctx: &Context<Self>, text: &str) {
        let built = RunScenario::from_json(text).and_then(|run| {
            let mut warnings = Vec::new();
            Playground::from_run(&run, &mut warnings).map(|model| (model, warnings))
        });
        match built {
            Ok((model, warnings)) => {
                let speed = self.model.speed;
                self.model = model;
                // The imported run is not the lesson's.
                self.lessons.active = None;
                if self.model.run_scenario().view.speed == crate::session::scenario::limits::DEFAULT_SPEED {
                    self.model.set_speed(speed);
                }
                self.menu = None;
                self.set_playing(ctx, self.model.playing);
                self.transfer.import_error = None;
                self.transfer.import_status = Some(format!(
                    "Imported: {} inputs, simulated time {}.{}",
                    self.model.input_count(),
                    format_clock(self.model.elapsed()),
                    warnings.iter().map(|w| format!(" {w}.")).collect::<String>()
                ));
                self.sync_tiles();
                self.sync_events(true);
            }
            Err(error) => {
                self.transfer.import_status = None;
                self.transfer.import_error = Some(format!("{error} The current run is unchanged."));
            }
        }
    }

    /// Writes the run to localStorage when an input was applied, or when time moved (at most every
    /// [`AUTOSAVE_EVERY_MS`] while playing), so that a reload lands on the same run and time.
    pub(super) fn autosave(&mut self) {
        if !self.transfer.autosave {
            return;
        }
        let scenario = self.model.run_scenario();
        let settings = scenario.knobs.values().chain([&scenario.view.speed]).map(|v| v.to_bits()).collect();
        let state = (self.model.input_count(), self.model.elapsed(), settings);
        if state == self.transfer.saved {
            return;
        }
        let now = persist::now_ms();
        if (state.0, &state.2) == (self.transfer.saved.0, &self.transfer.saved.2)
            && self.model.playing
            && now - self.transfer.saved_at < AUTOSAVE_EVERY_MS
        {
            return;
        }
        self.transfer.save_error = persist::save(&self.model.run_scenario().to_value().to_string()).err();
        self.transfer.saved = state;
        self.transfer.saved_at = now;
    }

    pub(super) fn view_notices(&self, ctx: &Context<Self>) -> Html {
        if self.transfer.notices.is_empty() {
            return html! {};
        }
        html! {
            <section id="notices" class="notices" aria-label="Notices">
                { for self.transfer.notices.iter().enumerate().map(|(index, notice)| html! {
                    <p class={classes!("notice", notice.warning.then_some("warning"))} role={if notice.warning { "alert" } else { "status" }}
                        data-subject={notice.subject.clone()}>
                        <span class="text">{ &notice.message }</span>
                        <button class="dismiss" aria-label="Dismiss"
                            onclick={ctx.link().callback(move |_| Msg::DismissNotice(index))}>{ "×" }</button>
                    </p>
                }) }
            </section>
        }
    }

    pub(super) fn view_share(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let m = &self.model;
        // Hashing costs a serialization per event (≈ 8 µs, a quarter of what simulating and
        // drawing the event costs): done when paused, where runs are compared, not every frame,
        // and a frame's budget at a time (`schedule_hashing`).
        let hash = (!m.playing).then(|| m.event_log_hash_ready()).flatten().map(|h| format!("{h:016x}"));
        let on_file = link.batch_callback(|e: Event| {
            let input = e.target_dyn_into::<web_sys::HtmlInputElement>()?;
            let file = input.files()?.get(0);
            // The same file chosen again must fire `change` again.
            input.set_value("");
            file.map(Msg::ImportFile)
        });
        html! {
            <section class="share" aria-label="Share and save">
                <button id="share" onclick={link.callback(|_| Msg::Share)}
                    title="A link that replays this run, event for event">{ "Share" }</button>
                <button id="copy-embed" onclick={link.callback(|_| Msg::CopyEmbedSnippet)}
                    title="The iframe line that shows this run in a documentation page">{ "Copy embed snippet" }</button>
                <button id="export" onclick={link.callback(|_| Msg::Export)}
                    title="Download this run as a scenario file">{ "Export" }</button>
                <label class="import" title="Replace this run with a scenario file">
                    { "Import" }
                    <input id="import-file" type="file" accept=".json,application/json" onchange={on_file} />
                </label>
                if let Some(share_link) = &self.transfer.share_link {
                    <input id="share-link" type="text" readonly=true value={share_link.clone()}
                        aria-label="Share link (also copied to the clipboard when the browser allows it)"
                        onfocus={Callback::from(|e: FocusEvent| {
                            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() { input.select(); }
                        })} />
                }
                if let Some(snippet) = &self.transfer.embed_snippet {
                    <input id="embed-snippet" type="text" readonly=true value={snippet.clone()}
                        aria-label="Embed snippet: paste it into a page"
                        onfocus={Callback::from(|e: FocusEvent| {
                            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() { input.select(); }
                        })} />
                    <span class="hint" id="copy-status"
                        data-copied={self.transfer.snippet_copied.map(|c| c.to_string()).unwrap_or_default()}>
                        { embed::copy_status(self.transfer.snippet_copied) }
                    </span>
                }
                <p id="run-info" class="run-info" data-event-log-hash={hash.clone()}
                    data-elapsed-ms={m.elapsed().to_string()} data-inputs={m.input_count().to_string()}>
                    { format!("run: seed {} · {} inputs · {} events · event-log hash {}", m.run_scenario().seed,
                        m.input_count(), m.event_count(), match (&hash, m.playing) {
                        (Some(hash), _) => hash.as_str(),
                        (None, true) => "(shown when paused)",
                        (None, false) => "(computing…)",
                    }) }
                    if let Some(error) = &self.transfer.save_error {
                        <span class="save-error">{ format!(" · not autosaved: {error}") }</span>
                    }
                </p>
                if let Some(error) = &self.transfer.import_error {
                    <p id="import-error" class="error" role="alert">{ error }</p>
                }
                if let Some(status) = &self.transfer.import_status {
                    <p id="import-status" class="hint" role="status">{ status }</p>
                }
            </section>
        }
    }
}

// ----- embed mode and lessons ---------------------------------------------------------------------

impl App {
    /// Shows the run of `settings.url` in embed chrome, built from that URL the way the page
    /// builds it (an embed never restores or writes the autosave). An embed has no lesson.
    pub(super) fn enter_embed(&mut self, ctx: &Context<Self>, settings: EmbedSettings) {
        let mut notices = Vec::new();
        self.model = page_run(settings.query(), None, false, &mut notices);
        self.transfer.notices = notices;
        self.transfer.autosave = false;
        self.lessons = LessonsPanel::default();
        let playing = self.model.playing;
        self.set_playing(ctx, playing);
        self.menu = None;
        self.help = false;
        self.embed = Some(EmbedState::new(settings));
        self.sync_tiles();
        self.sync_events(true);
    }

    /// The iframe line that shows the current run as an embed: its share link with `embed=1`.
    pub(super) fn embed_snippet(&self) -> String {
        let mut run = self.model.run_scenario().clone();
        run.view.embed = true;
        let src = share::link(&persist::origin_and_path(), &run);
        embed::snippet(&src, &embed::title(run.preset.as_deref()))
    }

    /// Loads a lesson's starting scenario and makes it the active lesson; an unknown id or a
    /// scenario the playground refuses leaves the run as it was and says why in the panel.
    pub(super) fn open_lesson(&mut self, id: &str) -> bool {
        self.lessons.open = true;
        let Some(lesson) = crate::session::lessons::lesson(id) else {
            let ids: Vec<&str> = crate::session::lessons::LESSONS.iter().map(|l| l.id).collect();
            self.lessons.error =
                Some(format!("There is no lesson {id:?}; the lessons are {}.", ids.join(", ")));
            return true;
        };
        if let Err(e) = self.model.load_scenario(lesson.scenario()) {
            self.lessons.error = Some(format!("Lesson {id} cannot start: {e}"));
            return true;
        }
        self.lessons.start(lesson, &self.model);
        self.menu = None;
        self.script = lessons::console_prompt(lesson);
        self.tab = Tab::Console;
        self.sync_events(true);
        true
    }
}
