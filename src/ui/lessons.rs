//! The lessons side panel: the guided lessons of [`crate::session::lessons`], one of which can be
//! active. Choosing a lesson loads its starting scenario into the playground
//! ([`super::model::Playground::load_scenario`]); its goal is re-checked from the simulation each
//! time the run reaches a new point of the timeline's sampling grid (every
//! [`super::model::SAMPLE_EVERY_MS`] of simulated time), never per animation frame, so the verdict
//! does not depend on the speed the run is watched at.

use super::app::{App, Msg};
use super::model::Playground;
use crate::session::lessons::{Lesson, LessonProgress, LESSONS};
use yew::html::Scope;
use yew::prelude::*;

/// The lesson being taken and where the learner stands.
pub struct ActiveLesson {
    pub lesson: &'static Lesson,
    pub progress: LessonProgress,
    /// The sample the progress was checked at (None: not on the grid yet).
    checked_at: Option<u64>,
}

/// The panel's state in the app.
#[derive(Default)]
pub struct LessonsPanel {
    pub open: bool,
    pub active: Option<ActiveLesson>,
    /// Why the last lesson asked for could not be opened.
    pub error: Option<String>,
}

impl LessonsPanel {
    /// Makes `lesson` the active one, checked against the run as it is now.
    pub fn start(&mut self, lesson: &'static Lesson, model: &Playground) {
        self.open = true;
        self.error = None;
        self.active = Some(ActiveLesson {
            lesson,
            progress: (lesson.check)(model.sim()),
            checked_at: model.samples().last().map(|s| s.at_ms),
        });
    }

    /// Re-checks the active lesson if the run reached a new sampling point since the last check.
    /// Returns whether the progress changed.
    pub fn sync(&mut self, model: &Playground) -> bool {
        let Some(active) = self.active.as_mut() else { return false };
        let at = model.samples().last().map(|s| s.at_ms);
        if at == active.checked_at {
            return false;
        }
        active.checked_at = at;
        let progress = (active.lesson.check)(model.sim());
        let changed = progress != active.progress;
        active.progress = progress;
        changed
    }

    pub fn active_id(&self) -> Option<&'static str> {
        self.active.as_ref().map(|a| a.lesson.id)
    }
}

/// The `lesson` parameter of a query string (`?lesson=ID` opens that lesson).
pub fn lesson_parameter(query: &str) -> Option<String> {
    let query = query.split_once('?').map_or(query, |(_, q)| q);
    crate::support::query::param(query, "lesson").map(str::to_string)
}

/// What the console holds when a lesson opens: a reminder, not the answer.
pub fn console_prompt(lesson: &Lesson) -> String {
    format!("# Lesson: {}\n# Type the commands the lesson panel describes, then Run script.\n", lesson.title)
}

/// The header button that shows and hides the panel.
pub fn toggle(panel: &LessonsPanel, link: &Scope<App>) -> Html {
    html! {
        <button id="lessons-toggle" class="lessons-toggle" aria-expanded={panel.open.to_string()}
            aria-controls="lessons" onclick={link.callback(|_| Msg::ToggleLessons)}>
            { "Lessons" }
        </button>
    }
}

/// The panel: the lesson list, and the active lesson's goal, instructions and progress.
pub fn view(panel: &LessonsPanel, link: &Scope<App>) -> Html {
    if !panel.open {
        return html! {};
    }
    let active = panel.active_id();
    html! {
        <section class="panel lessons" id="lessons" aria-label="Lessons">
            <h2>{ "Lessons" }</h2>
            <ol class="lesson-list">
                { for LESSONS.iter().map(|lesson| {
                    let id = lesson.id;
                    html! {
                        <li>
                            <button class="lesson" data-lesson={id} aria-pressed={(active == Some(id)).to_string()}
                                onclick={link.callback(move |_| Msg::OpenLesson(id.to_string()))}>
                                { lesson.title }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if let Some(error) = &panel.error {
                <p class="error" id="lesson-error" role="alert">{ error }</p>
            }
            if let Some(a) = &panel.active {
                <div class="lesson-active" id="lesson-active" data-lesson={a.lesson.id}>
                    <h3 class="lesson-goal">{ a.lesson.title }</h3>
                    <p class="hint lesson-instructions">{ a.lesson.instructions }</p>
                    <p id="lesson-progress" class={classes!("lesson-progress", a.progress.met.then_some("met"))}
                        data-met={a.progress.met.to_string()} role="status" aria-live="polite">
                        <b>{ if a.progress.met { "Goal met. " } else { "Goal not met yet. " } }</b>
                        { &a.progress.detail }
                    </p>
                    <p class="hint">{ "Use the Console tab to run the commands; Reset restarts the lesson." }</p>
                </div>
            }
        </section>
    }
}
