//! The function's allocator: a bump allocator that never frees. Shopify runs each call in a
//! fresh instance, so nothing outlives a run, and each run starts from an empty heap
//! (`reset`): freeing (and dlmalloc's bookkeeping) would only cost instructions.

use std::alloc::{GlobalAlloc, Layout};

pub struct Bump;

static mut NEXT: usize = 0;
static mut END: usize = 0;

extern "C" {
    static __heap_base: u8;
}

const PAGE: usize = 65536;

/// Forgets every allocation: the start of a run.
pub fn reset() {
    // SAFETY: single-threaded Wasm; called before anything is allocated in a run.
    unsafe {
        NEXT = &__heap_base as *const u8 as usize;
        END = core::arch::wasm32::memory_size(0) * PAGE;
    }
}

unsafe fn grow_to(end: usize) -> bool {
    if end <= END {
        return true;
    }
    let pages = (end - END + PAGE - 1) / PAGE;
    if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
        return false;
    }
    END += pages * PAGE;
    true
}

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if NEXT == 0 {
            reset();
        }
        let start = (NEXT + layout.align() - 1) & !(layout.align() - 1);
        let end = start + layout.size();
        if !grow_to(end) {
            return core::ptr::null_mut();
        }
        NEXT = end;
        start as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The latest allocation grows (or shrinks) where it is.
        if ptr as usize + layout.size() == NEXT {
            let end = ptr as usize + new_size;
            if !grow_to(end) {
                return core::ptr::null_mut();
            }
            NEXT = end;
            return ptr;
        }
        let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
        }
        new
    }
}
