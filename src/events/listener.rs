//! A listener's shared box, and the per-thread pool its memory comes from.
//!
//! An emit takes a snapshot of its listeners (a count bumped per listener) and calls them
//! with no borrow held, so a listener is shared: a count beside the closure, as in an
//! `Rc`. An `Rc<dyn ...>` took each box from `malloc` and gave it back to `free`: a
//! connection that comes and goes adds two listeners (`data` and `error`, say), and their
//! two allocations and frees were an eighth of its instructions (churn, callgrind: about
//! 520 of 4,100), `free` the larger part as a batch of closing connections overflowed
//! glibc's per-thread cache. Boxes of up to [`SMALL`] or [`LARGE`] bytes now come from
//! this thread's pool of freed boxes of that size, and go back to it (at most
//! [`POOL_MAX`] each); larger ones use the allocator directly.
//!
//! The box is thin: one pointer to a header (the count and a table of the functions that
//! call, drop and size the closure) followed by the closure, so the count, the table and
//! the closure share a cache line.

use std::alloc::{Layout, alloc, dealloc, handle_alloc_error};
use std::any::TypeId;
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::ptr::NonNull;

/// The size classes of pooled boxes (bytes; alignment up to [`ALIGN`]).
const SMALL: usize = 32;
const LARGE: usize = 64;
const ALIGN: usize = 16;
/// How many freed boxes of each class a thread keeps.
const POOL_MAX: usize = 256;

/// What every box starts with.
#[repr(C)]
struct Head {
    count: Cell<usize>,
    vt: &'static VTable,
}

/// The functions of one closure type.
struct VTable {
    /// Call the closure with the `Option<A>` at `arg` if `arg_type` is its type.
    call: unsafe fn(NonNull<Head>, *mut (), TypeId),
    /// Drop the closure in place (not its memory).
    drop: unsafe fn(NonNull<Head>),
    /// The box's layout.
    layout: Layout,
    /// The closure only borrows its argument: it drops it before returning and keeps
    /// nothing that points into it (see [`Listener::new_borrowing`]).
    borrows: bool,
}

/// A box: the header, then the closure. `RefCell` guards against re-entry: a closure that
/// is running when its own event is emitted again is skipped.
/// `B`: the closure only borrows its argument (the vtable's `borrows`).
#[repr(C)]
struct Node<A, F, const B: bool> {
    head: Head,
    f: RefCell<F>,
    _arg: PhantomData<fn(A)>,
}

impl<A: 'static, F: FnMut(A) + 'static, const B: bool> Node<A, F, B> {
    const VT: VTable = VTable {
        call: Self::call,
        drop: Self::drop_closure,
        layout: Layout::new::<Self>(),
        borrows: B,
    };

    /// # Safety
    /// `p` points at a live `Node<A, F>`; `arg` at an `Option<B>` with `TypeId` `arg_type`.
    unsafe fn call(p: NonNull<Head>, arg: *mut (), arg_type: TypeId) {
        if arg_type != TypeId::of::<Option<A>>() {
            return;
        }
        // SAFETY: the caller's contract: the node is live and of this type.
        let node = unsafe { p.cast::<Self>().as_ref() };
        // Already running (an emit of its own event from inside it): skipped, not re-entered.
        let Ok(mut f) = node.f.try_borrow_mut() else {
            return;
        };
        // SAFETY: `arg_type` says `arg` points at an `Option<A>`; the emit passes a pointer
        // to its own `Option<A>`, valid and unaliased for this call.
        let a = unsafe { &mut *(arg as *mut Option<A>) };
        if let Some(a) = a.take() {
            (*f)(a)
        }
    }

    /// # Safety
    /// `p` points at a live `Node<A, F>` whose closure is dropped only here, once.
    unsafe fn drop_closure(p: NonNull<Head>) {
        // SAFETY: the caller's contract.
        unsafe { std::ptr::drop_in_place(&raw mut (*p.cast::<Self>().as_ptr()).f) }
    }
}

/// A freed box, kept for the next listener of its class.
struct Pool {
    small: Vec<NonNull<u8>>,
    large: Vec<NonNull<u8>>,
}

impl Drop for Pool {
    fn drop(&mut self) {
        for p in self.small.drain(..) {
            // SAFETY: pooled boxes were allocated with their class's layout.
            unsafe { dealloc(p.as_ptr(), class_layout(SMALL)) }
        }
        for p in self.large.drain(..) {
            // SAFETY: as above.
            unsafe { dealloc(p.as_ptr(), class_layout(LARGE)) }
        }
    }
}

thread_local! {
    static POOL: RefCell<Pool> = const {
        RefCell::new(Pool { small: Vec::new(), large: Vec::new() })
    };
}

fn class_layout(size: usize) -> Layout {
    // Both classes are powers of two and a multiple of the alignment: always valid.
    Layout::from_size_align(size, ALIGN).unwrap_or_else(|_| Layout::new::<[u128; 4]>())
}

/// The class a box of `layout` is pooled in (its size), or `None` for the allocator.
fn class(layout: Layout) -> Option<usize> {
    if layout.align() > ALIGN {
        None
    } else if layout.size() <= SMALL {
        Some(SMALL)
    } else if layout.size() <= LARGE {
        Some(LARGE)
    } else {
        None
    }
}

fn take_box(layout: Layout) -> NonNull<u8> {
    let layout = match class(layout) {
        Some(c) => {
            let pooled = POOL
                .try_with(|p| {
                    let mut p = p.try_borrow_mut().ok()?;
                    if c == SMALL {
                        p.small.pop()
                    } else {
                        p.large.pop()
                    }
                })
                .ok()
                .flatten();
            if let Some(p) = pooled {
                return p;
            }
            class_layout(c)
        }
        None => layout,
    };
    // SAFETY: the layout's size is not zero (every box holds a header).
    let p = unsafe { alloc(layout) };
    NonNull::new(p).unwrap_or_else(|| handle_alloc_error(layout))
}

/// # Safety
/// `p` came from [`take_box`] with `layout` and nothing uses it any more.
unsafe fn give_box(p: NonNull<u8>, layout: Layout) {
    let (layout, kept) = match class(layout) {
        Some(c) => {
            let kept = POOL
                .try_with(|pool| {
                    let Ok(mut pool) = pool.try_borrow_mut() else {
                        return false;
                    };
                    let list = if c == SMALL {
                        &mut pool.small
                    } else {
                        &mut pool.large
                    };
                    if list.len() >= POOL_MAX {
                        return false;
                    }
                    list.push(p);
                    true
                })
                .unwrap_or(false);
            (class_layout(c), kept)
        }
        None => (layout, false),
    };
    if !kept {
        // SAFETY: the caller's contract; the layout is the one it was allocated with.
        unsafe { dealloc(p.as_ptr(), layout) }
    }
}

/// A shared listener closure (the table's entry and every snapshot that holds it).
pub(super) struct Listener {
    p: NonNull<Head>,
}

impl Listener {
    /// Box `f`, a listener of events that bring an `A`.
    pub(super) fn new<A: 'static, F: FnMut(A) + 'static>(f: F) -> Listener {
        Self::boxed::<A, F, false>(f)
    }

    /// Box `f`, a listener that only borrows its argument: whoever emits to it alone may
    /// pass an argument that points into memory it lends for the length of the call (a
    /// socket's read buffer).
    ///
    /// # Safety
    /// `f` drops its argument before it returns and keeps nothing that points into it.
    pub(super) unsafe fn new_borrowing<A: 'static, F: FnMut(A) + 'static>(f: F) -> Listener {
        Self::boxed::<A, F, true>(f)
    }

    fn boxed<A: 'static, F: FnMut(A) + 'static, const B: bool>(f: F) -> Listener {
        let layout = Layout::new::<Node<A, F, B>>();
        let p = take_box(layout).cast::<Node<A, F, B>>();
        let node = Node {
            head: Head {
                count: Cell::new(1),
                vt: &Node::<A, F, B>::VT,
            },
            f: RefCell::new(f),
            _arg: PhantomData,
        };
        // SAFETY: `p` is a fresh box of `Node<A, F, B>`'s size and alignment (or larger).
        unsafe { p.as_ptr().write(node) };
        Listener { p: p.cast() }
    }

    fn head(&self) -> &Head {
        // SAFETY: the box lives while a `Listener` holds a count on it.
        unsafe { self.p.as_ref() }
    }

    /// Call the closure with the argument in `a` (taken out of it by the call), if `a`'s
    /// type is the one the listener takes.
    #[inline]
    pub(super) fn call<A: 'static>(&self, a: &mut Option<A>) {
        let call = self.head().vt.call;
        // SAFETY: the box is live (this handle holds a count); `a` is an `Option<A>` named
        // by its `TypeId`.
        unsafe {
            call(
                self.p,
                a as *mut Option<A> as *mut (),
                TypeId::of::<Option<A>>(),
            )
        }
    }

    /// Whether the closure only borrows its argument ([`new_borrowing`](Self::new_borrowing)).
    #[inline]
    pub(super) fn borrows(&self) -> bool {
        self.head().vt.borrows
    }

    /// Where the closure lives (its count is the 16 bytes before it), for a prefetch.
    pub(super) fn closure_addr(&self) -> *const u8 {
        (self.p.as_ptr() as *const u8).wrapping_add(size_of::<Head>())
    }
}

impl Clone for Listener {
    #[inline]
    fn clone(&self) -> Listener {
        let c = &self.head().count;
        c.set(c.get() + 1);
        Listener { p: self.p }
    }
}

impl Drop for Listener {
    /// A count given back; the closure and its box go with the last (out of line: an emit
    /// drops its snapshot's count after every call, and that is the common case).
    #[inline]
    fn drop(&mut self) {
        let head = self.head();
        let n = head.count.get() - 1;
        head.count.set(n);
        if n == 0 {
            self.free();
        }
    }
}

impl Listener {
    /// Drop the closure and give its box back, once the last count is gone.
    #[cold]
    #[inline(never)]
    fn free(&mut self) {
        let vt = self.head().vt;
        // SAFETY: the last count is gone: nothing else reaches the closure or its box. The
        // closure is dropped first (its captures may run code, even add and drop other
        // listeners), then its memory goes back.
        unsafe {
            (vt.drop)(self.p);
            give_box(self.p.cast(), vt.layout);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn a_listener_is_called_with_its_own_argument_type_only_and_dropped_once() {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s = seen.clone();
        let l = Listener::new(move |x: u32| s.borrow_mut().push(x));
        let copy = l.clone();
        l.call(&mut Some(7u32));
        // Another argument type is not this listener's: nothing happens.
        l.call(&mut Some("seven"));
        copy.call(&mut Some(8u32));
        assert_eq!(*seen.borrow(), [7, 8]);
        drop(l);
        assert_eq!(
            Rc::strong_count(&seen),
            2,
            "one count left: the closure lives"
        );
        drop(copy);
        assert_eq!(
            Rc::strong_count(&seen),
            1,
            "the closure was dropped with the last"
        );
    }

    #[test]
    fn freed_boxes_are_reused_by_class_and_large_closures_use_the_allocator() {
        // No captures: a 24-byte box, in the small class; 16 bytes of captures: a 40-byte
        // box, in the large one.
        let a = Listener::new(|_: u8| {});
        let (x, y) = (1u64, 2u64);
        let b = Listener::new(move |_: u8| {
            std::hint::black_box((x, y));
        });
        let pa = a.p.as_ptr() as usize;
        let pb = b.p.as_ptr() as usize;
        drop(a);
        drop(b);
        // Each class gives back its last freed box.
        let c = Listener::new(|_: u16| {});
        let (u, v) = (3u64, 4u64);
        let d = Listener::new(move |_: u16| {
            std::hint::black_box((u, v));
        });
        assert_eq!(c.p.as_ptr() as usize, pa);
        assert_eq!(d.p.as_ptr() as usize, pb);
        // Larger than both classes: allocated and freed as it is.
        let big = [5u64; 16];
        let e = Listener::new(move |_: u8| {
            std::hint::black_box(big);
        });
        assert!(class(e.head().vt.layout).is_none());
        let hit = Rc::new(Cell::new(0u64));
        let h = hit.clone();
        let f = Listener::new(move |n: u64| h.set(n + big[0]));
        f.call(&mut Some(1u64));
        assert_eq!(hit.get(), 6);
    }

    #[test]
    fn a_closure_that_drops_another_listener_when_dropped_is_fine() {
        // The inner listener is freed (into the pool) while the outer one is being freed.
        let inner = Listener::new(|_: u8| {});
        let outer = Listener::new(move |_: u8| {
            let _ = &inner;
        });
        drop(outer);
        let again = Listener::new(|_: u8| {});
        again.call(&mut Some(1u8));
    }
}
