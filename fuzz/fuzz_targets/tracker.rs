#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| permanence_panel_fuzz::checks::tracker(data));
