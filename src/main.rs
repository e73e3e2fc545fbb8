//! The `kis` binary: the TUI without a subcommand, else the command line.

use std::process::ExitCode;

use clap::Parser;

use kis::cli::output::{self, Out};
use kis::cli::{self, Cli, Cmd};
use kis::core::error::Result;

fn run(cli: &Cli, out: &mut Out) -> Result<ExitCode> {
    let clock = cli::clock_from_env()?;
    match &cli.command {
        None => {
            let db = cli::open_for_tui(cli, clock.as_ref())?;
            cli::require_users(&db)?;
            kis::term::local::run_local(&cli::local_options(cli), db, clock)?;
        }
        Some(Cmd::Db(cmd)) => cli::admin::run_db(cli, cmd, out)?,
        Some(Cmd::User(cmd)) => {
            let db = cli::open_store(cli)?;
            cli::admin::run_user(cli, cmd, &db, clock, out)?;
        }
        Some(Cmd::Audit(cmd)) => {
            let db = cli::open_store(cli)?;
            if !cli::admin::run_audit(cli, cmd, &db, clock, out)? {
                return Ok(ExitCode::from(1));
            }
        }
        Some(Cmd::Demo(cmd)) => {
            let db = cli::open_store(cli)?;
            cli::admin::run_demo(cli, cmd, &db, clock, out)?;
        }
        Some(Cmd::Keys) => cli::keys::print_keys(cli, out)?,
        Some(Cmd::Persos(cmd)) => cli::persos::run(cli, cmd, clock, out)?,
        Some(Cmd::Ewos(cmd)) => {
            let db = cli::open_store(cli)?;
            cli::ewos::run(cli, cmd, &db, clock.clone(), out)?;
        }
        Some(Cmd::Batch(cmd)) => {
            let db = cli::open_store(cli)?;
            cli::batch::run(cli, cmd, &db, clock, out)?;
        }
        Some(Cmd::Ssh(cmd)) => return Ok(ExitCode::from(cli::ssh::run(cli, cmd, clock, out)?)),
        // The Säumnis check computes public law on given figures: no login,
        // and no store unless the Mandant's Bundesland is needed.
        Some(Cmd::Finas(cli::finas::FinasCmd::Saeumnis(a))) => {
            cli::finas_mahnwesen::saeumnis(cli, a, out)?;
        }
        Some(Cmd::Finas(cmd)) => {
            let db = cli::open_store(cli)?;
            if !cli::finas::run(cli, cmd, &db, clock, out)? {
                return Ok(ExitCode::from(1));
            }
        }
        Some(Cmd::Export(cmd)) => {
            let db = cli::open_store(cli)?;
            cli::finas::run_export(cli, cmd, &db, clock, out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // All output goes through `Out` (sanitised; a closed pipe ends quietly).
    let mut out = Out::stdout();
    let result = run(&cli, &mut out).and_then(|code| out.finish().map(|()| code));
    match result {
        _ if output::pipe_closed() => ExitCode::from(output::EXIT_PIPE_CLOSED),
        Ok(code) => code,
        Err(e) => {
            let _ = out.finish();
            output::report_error(&e);
            ExitCode::from(2)
        }
    }
}
