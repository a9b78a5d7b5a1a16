//! The console tab: the script, its controls and what it printed. While a script runs, its text
//! is shown line by line with the running line highlighted, and a `sleep` plays out in simulated
//! time at the playground's speed with a Skip button; Stop (or Ctrl-C in the panel) ends the
//! script between commands.

use super::model::Console;
use yew::prelude::*;

/// What the panel shows.
pub struct ConsoleView<'a> {
    pub console: &'a Console,
    pub script: &'a str,
    /// The line of the command running (or sleeping) now.
    pub line: Option<usize>,
    /// Simulated ms left of the `sleep` being played out.
    pub sleep_remaining_ms: Option<u64>,
}

/// What the panel's controls send.
pub struct ConsoleCallbacks {
    pub input: Callback<String>,
    pub run: Callback<()>,
    pub stop: Callback<()>,
    pub step: Callback<()>,
    pub skip: Callback<()>,
    /// Runs the script offered after the last one (the tutorial's cleanup).
    pub after: Callback<()>,
}

/// The panel.
pub fn view(state: &ConsoleView<'_>, on: &ConsoleCallbacks) -> Html {
    let console = state.console;
    let input = on.input.clone();
    let on_input = Callback::from(move |e: InputEvent| {
        input.emit(e.target_dyn_into::<web_sys::HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default())
    });
    let stop = on.stop.clone();
    let running = console.running();
    let on_key = Callback::from(move |e: KeyboardEvent| {
        if running && e.ctrl_key() && e.key().eq_ignore_ascii_case("c") {
            e.prevent_default();
            stop.emit(());
        }
    });
    let click = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let failed = console.output.iter().filter(|r| !r.success).count();
    html! {
        <section class="console" aria-label="AWS CLI console" onkeydown={on_key} tabindex="-1">
            <p class="hint">
                { "Shell scripts around the AWS CLI run against this simulated account (us-east-1, 123456789012): \
                   loops, pipes, here-documents, files. A `sleep` plays out in simulated time at the playground's speed. \
                   Preloaded: the seed 002 tutorial, in a world of its own." }
            </p>
            if running {
                { script_lines(state.script, state.line) }
            } else {
                <>
                    <label for="console-script" class="visually-hidden">{ "Script" }</label>
                    <textarea id="console-script" rows="10" spellcheck="false" value={state.script.to_string()} oninput={on_input} />
                </>
            }
            <div class="console-buttons">
                if running {
                    <button id="console-stop" onclick={click(&on.stop)} title="Ends the script between commands (Ctrl-C)">{ "Stop" }</button>
                    if let Some(ms) = state.sleep_remaining_ms {
                        <button id="console-skip" onclick={click(&on.skip)}>{ format!("Skip sleep ({})", seconds(ms)) }</button>
                    } else {
                        <button id="console-step" onclick={click(&on.step)}>{ "Run next command" }</button>
                    }
                } else if console.after.is_some() {
                    <button id="console-after" class="primary" onclick={click(&on.after)}
                        title="The tutorial stopped before tearing down what it built: look around first">
                        { "Run the cleanup" }
                    </button>
                    <button id="console-run" onclick={click(&on.run)}>{ "Run script again" }</button>
                } else {
                    <button id="console-run" class="primary" onclick={click(&on.run)}>{ "Run script" }</button>
                }
                <span class="hint" id="console-status" data-running={running.to_string()}
                    data-sleeping={state.sleep_remaining_ms.is_some().to_string()}>
                    { format!("{} commands run, {} failed", console.output.len(), failed) }
                    if let Some(ms) = state.sleep_remaining_ms {
                        { format!(" · sleeping, {} of simulated time left", seconds(ms)) }
                    }
                </span>
            </div>
            if let Some(error) = &console.syntax_error {
                <p class="error" id="console-syntax-error" role="alert">{ error }</p>
            }
            <div class="console-output" id="console-output" role="log" aria-live="polite">
                { for console.output.iter().enumerate().map(|(n, r)| html! {
                    <div key={n} class={classes!("record", (!r.success).then_some("failed"))} data-exit={r.exit_code.to_string()}>
                        <pre class="command">{ format!("$ {}", r.command) }</pre>
                        if !r.stdout.is_empty() {
                            <pre class="stdout">{ &r.stdout }</pre>
                        }
                        if !r.stderr.is_empty() {
                            <pre class="stderr">{ &r.stderr }</pre>
                        }
                    </div>
                }) }
            </div>
        </section>
    }
}

/// The running script, one numbered line per row, the running one marked.
fn script_lines(script: &str, line: Option<usize>) -> Html {
    html! {
        <ol class="script-lines" id="console-lines" aria-label="Running script">
            { for script.lines().enumerate().map(|(i, text)| {
                let running = line == Some(i + 1);
                html! {
                    <li key={i} class={classes!(running.then_some("running"))} aria-current={running.then_some("step")}>
                        <code>{ if text.is_empty() { " " } else { text } }</code>
                    </li>
                }
            }) }
        </ol>
    }
}

fn seconds(ms: u64) -> String {
    let s = ms.div_ceil(1000);
    if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}
