//! The integration tests, one crate so the suite links once: each module
//! is one area (the CLI's subcommands, the store, the rules against an
//! independent oracle, the terminal app, the real binary in tmux, documents
//! opened by LibreOffice ...). `common` holds the shared helpers.

mod audit_chain;
mod backup;
mod cli;
mod cli_actions;
mod cli_agenda;
mod cli_decisions;
mod cli_extract;
mod cli_fostering_panel;
mod cli_invites;
mod cli_meetings;
mod cli_minutes;
mod cli_quorum;
mod cli_referrals;
mod cli_report;
mod cli_terms;
mod cli_tracker;
mod cli_tracker_import;
mod common;
mod demo_minutes;
mod demo_names;
mod dfe_validator;
mod e2e_tmux;
mod encryption;
mod faults;
mod fuzz_regressions;
mod import_903;
mod import_plans;
mod minutes_record;
mod office;
mod plain_words;
mod quorum_prop;
mod resize;
mod returns;
mod rules_oracle;
mod rules_prop;
mod sigkill_loop;
mod store;
mod synth;
mod synth_returns;
mod terms_presets;
mod trust_audit;
mod trust_backups;
mod trust_controls;
mod trust_files;
mod trust_inputs;
mod trust_messages;
mod trust_minutes;
mod trust_outputs;
mod trust_tamper;
mod tui;
mod tui_meeting_tools;
mod tui_tmux;
mod word_documents;
