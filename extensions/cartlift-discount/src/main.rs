//! Cartlift's discount function (Shopify Discount Function API 2026-07): applies the
//! discount plan the publisher compiled from the offer engine (app/engine/plan.ts). A WASI
//! command module; Shopify calls one export per target (shopify.extension.toml `export`),
//! with the input query's JSON on stdin, and reads the result's JSON from stdout.
//!
//! Fail closed: a missing, stale or malformed plan, or an input the engine would refuse,
//! gives `{"operations":[]}`: no discount, never a wrong one.

mod alloc;
mod discounts;
mod input;
mod json;
mod output;
mod plan;

use std::io::Write;

#[global_allocator]
static ALLOCATOR: alloc::Bump = alloc::Bump;

/// WASI preview 1's `fd_read`/`fd_write`, called directly: the host copies the input straight
/// into our buffer and the output straight out of it (std's buffered stdin and stdout would
/// copy every byte once more, in counted instructions).
mod wasi {
    #[repr(C)]
    pub struct IoVec {
        pub buf: *const u8,
        pub len: usize,
    }

    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        pub fn fd_read(fd: u32, iovs: *const IoVec, iovs_len: usize, nread: *mut usize) -> u16;
        pub fn fd_write(fd: u32, iovs: *const IoVec, iovs_len: usize, nwritten: *mut usize) -> u16;
    }

    /// All of stdin; None on a read error.
    pub fn read_stdin() -> Option<Vec<u8>> {
        let mut bytes: Vec<u8> = Vec::with_capacity(64 * 1024);
        loop {
            if bytes.capacity() - bytes.len() < 4096 {
                bytes.reserve(bytes.capacity());
            }
            let spare = bytes.capacity() - bytes.len();
            let iov = IoVec { buf: unsafe { bytes.as_ptr().add(bytes.len()) }, len: spare };
            let mut n = 0;
            if unsafe { fd_read(0, &iov, 1, &mut n) } != 0 {
                return None;
            }
            if n == 0 {
                return Some(bytes);
            }
            unsafe { bytes.set_len(bytes.len() + n.min(spare)) };
        }
    }

    /// Writes all of `out` to stdout.
    pub fn write_stdout(mut out: &[u8]) {
        while !out.is_empty() {
            let iov = IoVec { buf: out.as_ptr(), len: out.len() };
            let mut n = 0;
            if unsafe { fd_write(1, &iov, 1, &mut n) } != 0 || n == 0 {
                return;
            }
            out = &out[n.min(out.len())..];
        }
    }
}

fn run(target: fn(&input::Input) -> Option<Vec<u8>>) {
    alloc::reset();
    let bytes = wasi::read_stdin();
    let result = bytes.as_deref().and_then(|b| input::read(b).ok()).and_then(|input| target(&input));
    wasi::write_stdout(result.as_deref().unwrap_or(output::NOTHING));
}

fn lines(input: &input::Input) -> Option<Vec<u8>> {
    if !input.product_class {
        return None;
    }
    discounts::earned(input).map(|e| output::product_discounts(&e))
}

fn delivery(input: &input::Input) -> Option<Vec<u8>> {
    if !input.shipping_class {
        return None;
    }
    discounts::earned(input).map(|e| output::delivery_discounts(&e, &input.delivery_groups))
}

/// Target `cart.lines.discounts.generate.run`.
#[export_name = "cart_lines_discounts_generate_run"]
pub extern "C" fn cart_lines_discounts_generate_run() {
    run(lines)
}

/// Target `cart.delivery-options.discounts.generate.run`.
#[export_name = "cart_delivery_options_discounts_generate_run"]
pub extern "C" fn cart_delivery_options_discounts_generate_run() {
    run(delivery)
}

fn main() {
    let _ = std::io::stderr().write_all(b"cartlift-discount: call a target's export, not _start\n");
    std::process::exit(1);
}
