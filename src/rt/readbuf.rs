//! The loop's read buffers: where every socket's kernel reads land.
//!
//! Two places, chosen per socket by the size of its recent reads and whether it buffers:
//!
//! - a socket whose reads are small, and whose chunks go straight to a listener, reads
//!   straight into `arena`, a 16 KiB block that many small chunks share, with the block's
//!   free room (at least 4 KiB) as the read's size, and its chunk is split off the block:
//!   no copy, and no allocation or free of its own, only a reference count (the echo and
//!   request/response cases, where a per-chunk allocation was a sixth of the work per
//!   message). With half a block or less left, the arena goes back to the block's start
//!   if every chunk cut from it has been dropped, as an echo's are once sent; a new block
//!   is allocated only when less than 4 KiB is left and chunks cut from it are alive;
//! - a socket whose reads are large (a read filled a whole arena block, or was 16 KiB or
//!   more, and it has not since made `LARGE_GRACE` smaller reads in a row), or that
//!   buffers what it reads (paused), reads into `big`, one buffer the whole loop shares,
//!   with 64 KiB of room (libuv's read size). A read of 16 KiB or more is split off `big`
//!   as is, without a copy (`big`'s room is reused once the chunk is dropped); a smaller
//!   one is copied into the arena.
//!
//! Every large read lands at a page boundary: `big`'s allocation has a page more than the
//! read's room, and the bytes before its first page boundary are skipped. The kernel's
//! copy into user memory (`_copy_to_iter`) depends on where the destination sits in its
//! page. Measured here with the raw mio server reading 64 KiB at chosen offsets (perf,
//! bulk upload, samples per GiB): 31-42 at a page boundary, 35-43 at 64 bytes past it, 50
//! at 16 bytes past it, and 74-100 at 2,512 bytes past it, which is where glibc's
//! allocation had put nodenet's buffer. The copy is most of the CPU a bulk reader spends.
//! It is the offset in the page that counts, not the cache line: nodenet's buffer aligned
//! to 64 bytes only (so 2,560 bytes past a page boundary) measured 73 in two rounds,
//! against 34-35 page-aligned and 32-39 for raw mio in the same rounds.
//!
//! A burst on a socket that was reading small chunks so costs a read of what is left of
//! the arena's block, and then of a whole block, before its reads become 64 KiB ones. A
//! paused socket reads 64 KiB at a time, as libuv does, so it stops at its highWaterMark
//! after the same reads as Node.
//!
//! The price of sharing: a chunk kept alive keeps what it was cut from alive. A small chunk
//! keeps its 16 KiB block, shared with the chunks cut before and after it; queues a
//! socket keeps (data waiting to be read or written) hold chunks cut one after another,
//! so they fill the blocks they pin. A chunk split off `big` keeps that whole allocation
//! (64 KiB and a page), and the next large read gets a new one: hence the copy under
//! 16 KiB, which bounds what a kept chunk pins to about four times its size. Without it,
//! a paused socket fed 4 KiB at a time would hold 16 allocations of 68 KiB for its 64 KiB
//! highWaterMark (Node shrinks each read's buffer to what was read, so it holds 64 KiB).
//! A user who keeps many single small chunks for a long time should copy them
//! (`Bytes::copy_from_slice`).
//!
//! A socket whose only `data` listener borrows its chunks (`Socket::on_data_view`) is lent
//! each read where it landed, in the arena or in `big` (`lend`, `give_back`): no chunk is
//! cut off, so no reference count is raised or dropped, a small read into `big` is not
//! copied, and `big` is reused at once. At bulk upload, a sink that borrows spent about 15%
//! fewer user samples per GiB than one whose chunks are owned (4 alternating runs of the
//! same binary; perf had split and drop of the shared buffer at 16% of the owned sink's
//! user samples).

use bytes::{Bytes, BytesMut};

/// A read into `big` of at least this size is handed out as a slice of it and keeps the
/// socket's reads there; a smaller one is copied into the arena, and after `LARGE_GRACE`
/// of those in a row the socket's reads go there.
const SPLIT_FROM: usize = ARENA;

/// Size of one arena block.
const ARENA: usize = 16 * 1024;

/// A read goes into the arena only with at least this much room; else a new block.
const MIN_ROOM: usize = 4096;

/// With this much room left or less, the arena goes back to its block's start if no chunk
/// cut from it is alive. Reads then have more room than the messages of an echo up to
/// 8 KiB, which would otherwise fill a block's tail exactly now and then (4 KiB messages:
/// every fourth), and a read that fills its room is followed by one more, which finds
/// nothing: 1.30 reads per 4 KiB message at 50 connections, against 1.03.
const REUSE_AT: usize = ARENA / 2;

/// Where large reads start: at a multiple of this (a page).
const ALIGN: usize = 4096;

/// How many reads under `SPLIT_FROM` in a row a large reader makes into `big` before its
/// reads go back to the arena. A bulk reader's last read of a wake is usually short
/// (what had arrived since the one before); when that one read sent it back to the
/// arena, its next wake read what was left of a block, then a whole block, before 64 KiB
/// again: at bulk upload, 21.7 reads per MiB against raw mio's 17.5 (tracepoints), and
/// 3.7% of all reads were exactly a block. A reader whose messages are small pays this many copies
/// (each under 16 KiB) after a burst before it reads into the arena again.
const LARGE_GRACE: u8 = 4;

/// A socket's large-read credit after a read of `n` bytes into `room` (`large`: the read
/// went into `big`); its next read goes into `big` while the credit is not 0. A read into
/// `big` of at least `SPLIT_FROM` bytes, or one that filled a whole arena block, gives
/// `LARGE_GRACE`; a smaller read into `big` spends one. A read that filled only what was
/// left of a block does not count: 4 KiB messages fill a block's last 4 KiB exactly, and
/// counting that sent an echo of 4 KiB messages through `big` and a copy for every
/// message after the fourth.
#[inline(always)]
pub(crate) fn next_read_large(credit: u8, large: bool, n: usize, room: usize) -> u8 {
    if large {
        if n >= SPLIT_FROM {
            LARGE_GRACE
        } else {
            credit.saturating_sub(1)
        }
    } else if n == room && room >= ARENA {
        LARGE_GRACE
    } else {
        0
    }
}

/// The loop's read buffer and small-chunk arena.
#[derive(Default)]
pub(crate) struct ReadBuf {
    /// Where large reads land: its first `skip` bytes lead up to a page boundary, and a
    /// read goes into its room after them (see `renew_big`).
    big: BytesMut,
    /// How many bytes at `big`'s front are skipped.
    skip: usize,
    arena: BytesMut,
    /// The arena's block or `big` while a read's bytes in it are lent (`lend`); empty
    /// otherwise.
    lent: BytesMut,
    /// How many bytes at `lent`'s front are not the read's: `big`'s skipped bytes.
    lent_skip: usize,
    /// Whether `lent` came from `big` (else from the arena).
    lent_large: bool,
}

impl ReadBuf {
    /// Where the next read goes and how many bytes it may read: the arena's room for a
    /// socket whose reads are small, `big`'s room past its skipped bytes (`large_room`) for
    /// one whose reads are large. The read appends what it reads.
    #[inline(always)]
    pub(crate) fn target(&mut self, large: bool, large_room: usize) -> (&mut BytesMut, usize) {
        if large {
            // Between reads `big` holds only its skipped bytes.
            debug_assert_eq!(self.big.len(), self.skip);
            if self.big.capacity() - self.skip < large_room {
                self.renew_big(large_room);
            }
            return (&mut self.big, large_room);
        }
        // Between reads the arena holds nothing: what was read was split off.
        if self.arena.capacity() <= REUSE_AT {
            self.next_block(MIN_ROOM);
        }
        let room = self.arena.capacity();
        (&mut self.arena, room)
    }

    /// Take what the last read put where `target(large, _)` said.
    #[inline(always)]
    pub(crate) fn take(&mut self, large: bool) -> Bytes {
        if !large {
            return self.arena.split().freeze();
        }
        if self.big.len() - self.skip >= SPLIT_FROM {
            // The read's bytes and the room after them; `big` keeps its skipped bytes.
            return self.big.split_off(self.skip).freeze();
        }
        self.copy_to_arena()
    }

    /// The last read, lent rather than cut off: a `Bytes` that points into the arena's block
    /// (`large` false) or into `big` (`large` true: where `target(true, _)` put it) without
    /// owning it, for a `data` listener that only borrows its chunk. No reference count is
    /// raised, nor dropped after the listener's call, and a small read into `big` is not
    /// copied to the arena. The block leaves its place until [`give_back`](Self::give_back),
    /// so a read made meanwhile (none is, from a listener; this holds whatever user code
    /// runs) goes to a new block and cannot write over the lent bytes. `None` while a lend
    /// is out: the caller then [`take`](Self::take)s as usual.
    ///
    /// # Safety
    /// The returned `Bytes`, and everything that points into it, is dropped before
    /// `give_back` is called, and `give_back` is called (else the block is only kept).
    #[inline(always)]
    pub(crate) unsafe fn lend(&mut self, large: bool) -> Option<Bytes> {
        if self.lent.capacity() != 0 {
            return None;
        }
        // Swapped, not taken and assigned: no empty handle is made or dropped. A lent `big`
        // leaves an empty one with nothing skipped, which the next large read renews.
        if large {
            std::mem::swap(&mut self.lent, &mut self.big);
            self.lent_skip = std::mem::take(&mut self.skip);
        } else {
            std::mem::swap(&mut self.lent, &mut self.arena);
        }
        self.lent_large = large;
        let bytes: &[u8] = &self.lent[self.lent_skip..];
        // SAFETY: the bytes stay where they are and unchanged until `give_back`, which the
        // caller calls only once the `Bytes` is gone (the block is neither written nor
        // freed in between: it is out of the arena and `big`, and `lent` is not touched
        // while a lend is out). `from_static`'s `Bytes` frees nothing when dropped.
        let bytes: &'static [u8] = unsafe { &*(bytes as *const [u8]) };
        Some(Bytes::from_static(bytes))
    }

    /// A large read made and lent in one step, for the bulk reads of a socket whose only
    /// `data` listener borrows its chunks (`Socket::read_kernel`): what `target(true,
    /// room)`, the read, and [`lend`](Self::lend) do, with the read straight into `big`'s
    /// room after its skipped bytes (no `BytesMut` growth and length checks around it).
    /// `read(ptr, len)` reads into the room. `None` while a lend is out (the caller takes
    /// the general path); `Some(Ok((_, 0)))` at end of stream, with nothing lent.
    ///
    /// # Safety
    /// As [`lend`](Self::lend)'s; and `read` writes only within the `len` bytes at `ptr`.
    #[inline(always)]
    pub(crate) unsafe fn read_lent_large(
        &mut self,
        room: usize,
        read: impl FnOnce(*mut u8, usize) -> std::io::Result<usize>,
    ) -> Option<std::io::Result<(Bytes, usize)>> {
        if self.lent.capacity() != 0 {
            return None;
        }
        debug_assert_eq!(self.big.len(), self.skip);
        if self.big.capacity() - self.skip < room {
            self.renew_big(room);
        }
        // `big`'s room (its spare capacity, at least `room` bytes, past the skipped bytes it
        // holds), reached through the spare capacity: a pointer from `as_mut_ptr` covers
        // only the bytes `big` holds (Miri's Stacked Borrows rejects a write past them).
        let ptr = self.big.spare_capacity_mut().as_mut_ptr().cast::<u8>();
        let n = match read(ptr, room) {
            Ok(0) => return Some(Ok((Bytes::new(), 0))),
            Ok(n) => n.min(room),
            Err(e) => return Some(Err(e)),
        };
        // SAFETY: the read initialised the `n` bytes after the skipped ones, within the
        // capacity.
        unsafe { self.big.set_len(self.skip + n) };
        // The lend, as `lend(true)`'s: `big` leaves its place until `give_back`.
        std::mem::swap(&mut self.lent, &mut self.big);
        self.lent_skip = std::mem::take(&mut self.skip);
        self.lent_large = true;
        // SAFETY: as in `lend`: the `n` bytes at `ptr` stay where they are, unchanged, until
        // `give_back`, which the caller calls only once the `Bytes` is gone.
        let bytes: &'static [u8] = unsafe { std::slice::from_raw_parts(ptr, n) };
        Some(Ok((Bytes::from_static(bytes), n)))
    }

    /// End a [`lend`](Self::lend): the block goes back to where it was lent from, emptied
    /// (the next read lands where the lent one did), unless a read made a new one
    /// meanwhile.
    #[inline(always)]
    pub(crate) fn give_back(&mut self) {
        let skip = std::mem::take(&mut self.lent_skip);
        let place = if self.lent_large {
            &mut self.big
        } else {
            &mut self.arena
        };
        if place.capacity() == 0 {
            std::mem::swap(&mut self.lent, place);
            place.truncate(skip);
            if self.lent_large {
                self.skip = skip;
            }
        } else {
            drop(std::mem::take(&mut self.lent));
        }
    }

    /// A small read that landed in `big`, copied into the arena (kept out of line: the
    /// read paths inline `take`).
    #[inline(never)]
    fn copy_to_arena(&mut self) -> Bytes {
        let read = self.big.len() - self.skip;
        if self.arena.capacity() < read {
            self.next_block(read);
        }
        self.arena.extend_from_slice(&self.big[self.skip..]);
        self.big.truncate(self.skip);
        self.arena.split().freeze()
    }

    /// Give `big` `room` bytes of room after its skipped bytes, which end at a page
    /// boundary: the same allocation's when no chunk cut from it is alive any more, else a
    /// new allocation's.
    ///
    /// `big` is the allocation's front handle and keeps the skipped bytes as its contents:
    /// they are written (zeroed) once per allocation, and a chunk is split off behind them.
    /// Once every chunk is gone, `big` is the allocation's only owner, and taking back the
    /// room behind it moves and writes nothing: an atomic load, where a separate handle for
    /// the read's room had cost two more reference-count updates per read. Zeroing the
    /// skipped bytes at every reuse (under a page) had been about a tenth of a bulk
    /// reader's user samples (perf, bulk upload).
    #[inline(never)]
    fn renew_big(&mut self, room: usize) {
        if !self.big.try_reclaim(room) {
            let mut fresh = BytesMut::with_capacity(room + ALIGN);
            let skip = fresh.as_ptr().align_offset(ALIGN);
            fresh.resize(skip, 0);
            self.big = fresh;
            self.skip = skip;
        }
    }

    /// Move the arena to the next block: the same one again, from its start, when no chunk
    /// cut from it is alive any more (an echo's chunks are dropped as soon as they are
    /// sent), else, once less than `need` (at most a block) is left, a fresh one (the
    /// chunks cut from the old one keep it alive).
    #[inline(never)]
    fn next_block(&mut self, need: usize) {
        if !self.arena.try_reclaim(ARENA) && self.arena.capacity() < need {
            self.arena = BytesMut::with_capacity(ARENA);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_reads_share_a_block_and_large_ones_are_not_copied() {
        let mut rb = ReadBuf::default();
        let large_read = |rb: &mut ReadBuf, bytes: &[u8]| {
            let (buf, _) = rb.target(true, 65536);
            buf.extend_from_slice(bytes);
            rb.take(true)
        };
        let a = large_read(&mut rb, b"hello");
        let b = large_read(&mut rb, b"world!");
        assert_eq!((&a[..], &b[..]), (&b"hello"[..], &b"world!"[..]));
        // Cut one after the other from the same block.
        assert_eq!(a.as_ptr().wrapping_add(5), b.as_ptr());
        assert_eq!(rb.big.len(), rb.skip);

        let at = rb.big.as_ptr().wrapping_add(rb.skip);
        let big = large_read(&mut rb, &vec![7u8; SPLIT_FROM]);
        assert_eq!(big.as_ptr(), at);
        assert_eq!(big.len(), SPLIT_FROM);
        assert!(big.iter().all(|&x| x == 7));
    }

    #[test]
    fn a_lent_read_stays_intact_through_reads_made_meanwhile_and_its_block_comes_back() {
        let mut rb = ReadBuf::default();
        let (buf, _) = rb.target(false, 65536);
        buf.extend_from_slice(b"lent");
        let at = buf.as_ptr();
        // SAFETY: `lent` is dropped before `give_back`.
        let lent = unsafe { rb.lend(false) }.expect("nothing lent yet");
        assert_eq!((&lent[..], lent.as_ptr()), (&b"lent"[..], at));
        // No second lend while one is out.
        assert!(unsafe { rb.lend(false) }.is_none());
        // A read meanwhile goes to a new block and leaves the lent bytes alone.
        let (buf, _) = rb.target(false, 65536);
        assert_ne!(buf.as_ptr(), at);
        buf.extend_from_slice(b"other");
        let other = rb.take(false);
        assert_eq!((&lent[..], &other[..]), (&b"lent"[..], &b"other"[..]));
        drop(lent);
        // The arena has a block of its own now: the lent one is let go.
        rb.give_back();
        let (buf, _) = rb.target(false, 65536);
        assert_ne!(buf.as_ptr(), at);
        buf.clear();

        // With no read in between, the block comes back emptied: the next read lands where
        // the lent one did.
        let mut rb = ReadBuf::default();
        let (buf, _) = rb.target(false, 65536);
        buf.extend_from_slice(b"first");
        let at = buf.as_ptr();
        let lent = unsafe { rb.lend(false) }.expect("nothing lent yet");
        drop(lent);
        rb.give_back();
        let (buf, room) = rb.target(false, 65536);
        assert_eq!((buf.as_ptr(), buf.len(), room), (at, 0, ARENA));
    }

    #[test]
    fn small_readers_read_into_the_arena_with_its_room_and_take_without_a_copy() {
        let mut rb = ReadBuf::default();
        let (buf, room) = rb.target(false, 65536);
        assert_eq!(room, ARENA);
        buf.extend_from_slice(b"ping");
        let at = buf.as_ptr();
        let a = rb.take(false);
        assert_eq!((&a[..], a.as_ptr()), (&b"ping"[..], at));
        let (buf, room) = rb.target(false, 65536);
        assert_eq!(room, ARENA - 4);
        buf.extend_from_slice(b"pong");
        let b = rb.take(false);
        assert_eq!(a.as_ptr().wrapping_add(4), b.as_ptr());
        // Less room than MIN_ROOM left: a fresh block, the old chunks intact.
        let (buf, room) = rb.target(false, 65536);
        buf.extend_from_slice(&vec![1u8; room - MIN_ROOM + 1]);
        let _c = rb.take(false);
        let (_, room) = rb.target(false, 65536);
        assert_eq!(room, ARENA);
        assert_eq!((&a[..], &b[..]), (&b"ping"[..], &b"pong"[..]));
        // A large reader gets the shared buffer and the room it asked for.
        let (buf, room) = rb.target(true, 65536);
        assert_eq!(room, 65536);
        assert!(buf.capacity() - buf.len() >= room);
    }

    #[test]
    fn large_reads_start_at_a_page_boundary_and_reuse_the_buffer_once_free() {
        let mut rb = ReadBuf::default();
        let read = |rb: &mut ReadBuf, byte: u8, n: usize| {
            let (buf, room) = rb.target(true, 65536);
            assert_eq!(room, 65536);
            // The read appends: after the skipped bytes, at a page boundary.
            assert!(buf.len() < ALIGN && buf.capacity() - buf.len() >= room);
            assert_eq!(buf.as_ptr().wrapping_add(buf.len()) as usize % ALIGN, 0);
            buf.extend_from_slice(&vec![byte; n]);
            rb.take(true)
        };
        let a = read(&mut rb, 1, 65536);
        let at = a.as_ptr();
        // The skipped bytes are `big`'s contents, right before the read's.
        let front = (rb.big.as_ptr(), rb.big.len());
        assert_eq!(front.0.wrapping_add(front.1), at);
        drop(a);
        // Nothing cut from the buffer is alive: the next read lands at the same place,
        // and the skipped bytes stay as they were (not written again).
        let b = read(&mut rb, 2, 20000);
        assert_eq!(b.as_ptr(), at);
        assert_eq!((rb.big.as_ptr(), rb.big.len()), front);
        // `b` is alive: the next read gets another buffer, also at a page boundary.
        let c = read(&mut rb, 3, 65536);
        assert_ne!(c.as_ptr(), at);
        assert!(b.iter().all(|&x| x == 2) && b.len() == 20000);
        assert!(c.iter().all(|&x| x == 3));
        // A small read in `big` is copied into the arena; `big` stays where it was.
        let (buf, _) = rb.target(true, 65536);
        buf.extend_from_slice(b"tiny");
        let at = buf.as_ptr();
        let d = rb.take(true);
        assert_eq!(&d[..], b"tiny");
        let (buf, _) = rb.target(true, 65536);
        assert_eq!(buf.as_ptr(), at);
    }

    #[test]
    fn a_read_lent_in_one_step_lands_at_the_page_boundary_and_comes_back_to_it() {
        let mut rb = ReadBuf::default();
        let fill = |byte: u8, n: usize| {
            move |p: *mut u8, len: usize| {
                assert_eq!((p as usize % ALIGN, len), (0, 65536));
                // SAFETY: `p` points at `len` writable bytes; `n` is at most `len`.
                unsafe { p.write_bytes(byte, n) };
                Ok(n)
            }
        };
        // SAFETY (each call): every lent `Bytes` is dropped before `give_back`.
        let (lent, n) = unsafe { rb.read_lent_large(65536, fill(3, 40000)) }
            .expect("nothing lent yet")
            .expect("read");
        let at = lent.as_ptr();
        assert_eq!((n, lent.len()), (40000, 40000));
        assert!(lent.iter().all(|&x| x == 3));
        // While it is out, the one-step read declines and a general read lands elsewhere.
        assert!(unsafe { rb.read_lent_large(65536, fill(9, 1)) }.is_none());
        assert!(unsafe { rb.lend(true) }.is_none());
        drop(lent);
        rb.give_back();
        // Given back with no read in between: the next read lands where the lent one did.
        let (lent, _) = unsafe { rb.read_lent_large(65536, fill(4, 65536)) }
            .expect("given back")
            .expect("read");
        assert_eq!((lent.as_ptr(), lent.len()), (at, 65536));
        assert!(lent.iter().all(|&x| x == 4));
        drop(lent);
        rb.give_back();
        // End of stream and errors lend nothing.
        let eof = unsafe { rb.read_lent_large(65536, |_, _| Ok(0)) }.expect("nothing lent");
        assert_eq!(eof.expect("eof").1, 0);
        let err = unsafe {
            rb.read_lent_large(65536, |_, _| {
                Err(std::io::Error::from(std::io::ErrorKind::WouldBlock))
            })
        };
        assert!(err.expect("nothing lent").is_err());
        assert_eq!(rb.lent.capacity(), 0);
        assert_eq!(rb.big.len(), rb.skip);
    }

    #[test]
    fn a_lent_large_read_stays_at_its_page_boundary_and_a_read_meanwhile_gets_a_new_buffer() {
        let mut rb = ReadBuf::default();
        let (buf, _) = rb.target(true, 65536);
        buf.extend_from_slice(&[5u8; 30000]);
        let at = buf.as_ptr().wrapping_add(buf.len() - 30000);
        assert_eq!(at as usize % ALIGN, 0);
        // SAFETY: `lent` is dropped before `give_back`.
        let lent = unsafe { rb.lend(true) }.expect("nothing lent yet");
        assert_eq!((lent.as_ptr(), lent.len()), (at, 30000));
        // A read meanwhile, large or small, lands elsewhere and leaves the lent bytes alone.
        assert!(unsafe { rb.lend(true) }.is_none());
        let (buf, _) = rb.target(true, 65536);
        assert_ne!(buf.as_ptr().wrapping_add(buf.len()), at);
        assert_eq!(buf.as_ptr().wrapping_add(buf.len()) as usize % ALIGN, 0);
        buf.extend_from_slice(&[6u8; 65536]);
        let other = rb.take(true);
        assert!(lent.iter().all(|&x| x == 5) && other.iter().all(|&x| x == 6));
        drop((lent, other));
        // `big` has an allocation of its own now: the lent one is let go.
        rb.give_back();
        let (buf, _) = rb.target(true, 65536);
        assert_ne!(buf.as_ptr().wrapping_add(buf.len()), at);

        // With no read in between, `big` comes back with its skipped bytes only: the next
        // read lands where the lent one did, and is not copied even when small.
        let mut rb = ReadBuf::default();
        let (buf, _) = rb.target(true, 65536);
        buf.extend_from_slice(b"small");
        let at = buf.as_ptr().wrapping_add(buf.len() - 5);
        let lent = unsafe { rb.lend(true) }.expect("nothing lent yet");
        assert_eq!((&lent[..], lent.as_ptr()), (&b"small"[..], at));
        drop(lent);
        rb.give_back();
        assert_eq!(rb.big.len(), rb.skip);
        let (buf, room) = rb.target(true, 65536);
        assert_eq!((buf.as_ptr().wrapping_add(buf.len()), room), (at, 65536));
        buf.extend_from_slice(b"again");
        let lent = unsafe { rb.lend(true) }.expect("given back");
        assert_eq!((&lent[..], lent.as_ptr()), (&b"again"[..], at));
        drop(lent);
        rb.give_back();
        // The arena was not touched by any of it.
        assert_eq!(rb.arena.capacity(), 0);
    }

    #[test]
    fn kept_mid_size_chunks_are_copied_and_do_not_pin_the_large_buffer() {
        // A paused socket fed 4 KiB at a time: its chunks wait in its queue.
        const CHUNK: usize = 4096;
        let mut rb = ReadBuf::default();
        let mut kept = Vec::new();
        let mut at = None;
        for i in 0..16u8 {
            let (buf, room) = rb.target(true, 65536);
            // The same buffer every time: no chunk cut from it is alive.
            assert_eq!(*at.get_or_insert(buf.as_ptr()), buf.as_ptr());
            buf.extend_from_slice(&[i; CHUNK]);
            // With no credit left, a flowing socket would read its next chunk into the
            // arena.
            assert_eq!(next_read_large(0, true, CHUNK, room), 0);
            kept.push(rb.take(true));
        }
        // Copied into arena blocks, four to a block, one after another.
        for pair in kept.chunks(4) {
            for w in pair.windows(2) {
                assert_eq!(w[0].as_ptr().wrapping_add(CHUNK), w[1].as_ptr());
            }
        }
        for (i, c) in kept.iter().enumerate() {
            assert!(c.len() == CHUNK && c.iter().all(|&x| x == i as u8));
        }
    }

    #[test]
    fn a_socket_turns_large_on_a_full_block_or_a_large_read_only() {
        // Small: filling a whole block turns large, filling a block's tail does not.
        assert_eq!(next_read_large(0, false, ARENA, ARENA), LARGE_GRACE);
        assert_eq!(next_read_large(0, false, 4096, 4096), 0);
        assert_eq!(next_read_large(0, false, 100, ARENA), 0);
        // Large: a read of SPLIT_FROM or more renews the credit, a smaller one spends one:
        // a bulk reader's short last read of a wake keeps it large, and a socket whose
        // messages are small goes back to the arena after LARGE_GRACE of them.
        assert_eq!(next_read_large(1, true, SPLIT_FROM, 65536), LARGE_GRACE);
        assert_eq!(next_read_large(2, true, 65536, 65536), LARGE_GRACE);
        let mut credit = LARGE_GRACE;
        for _ in 0..LARGE_GRACE {
            assert!(credit > 0);
            credit = next_read_large(credit, true, SPLIT_FROM - 1, 65536);
        }
        assert_eq!(credit, 0);
        // A paused socket reads into `big` with no credit: a small read leaves none.
        assert_eq!(next_read_large(0, true, 100, 65536), 0);
        // 4 KiB messages kept alive, so the block is not reused: the fourth fills the
        // block's tail exactly, the socket stays small, and its fifth read gets a new block.
        let mut rb = ReadBuf::default();
        let mut large = false;
        let mut kept = Vec::new();
        for i in 0..8 {
            let (buf, room) = rb.target(large, 65536);
            assert_eq!(room, ARENA - (i % 4) * 4096);
            buf.extend_from_slice(&[0; 4096]);
            kept.push(rb.take(large));
            large = next_read_large(0, large, 4096, room) > 0;
            assert!(!large);
        }
    }

    #[test]
    fn a_block_is_reused_once_no_chunk_cut_from_it_is_alive() {
        let mut rb = ReadBuf::default();
        let mut start = None;
        // 4 KiB echoes: each chunk is dropped before the next read. With half the block
        // left the arena goes back to its start, so no read's room is exactly 4 KiB.
        for i in 0..12 {
            let (buf, room) = rb.target(false, 65536);
            assert_eq!(room, if i % 2 == 0 { ARENA } else { ARENA - 4096 });
            if i % 2 == 0 {
                assert_eq!(*start.get_or_insert(buf.as_ptr()), buf.as_ptr());
            }
            buf.extend_from_slice(&[1; 4096]);
            drop(rb.take(false));
        }
        // A chunk kept: the next block is a new one, and the chunk stays intact.
        let mut kept = Vec::new();
        for _ in 0..5 {
            let (buf, _) = rb.target(false, 65536);
            buf.extend_from_slice(&[2; 4096]);
            kept.push(rb.take(false));
        }
        assert_ne!(kept[4].as_ptr(), start.unwrap());
        assert!(kept.iter().all(|c| c.iter().all(|&x| x == 2)));
    }

    #[test]
    fn a_copy_larger_than_the_arenas_room_goes_into_a_fresh_block() {
        let mut rb = ReadBuf::default();
        // A kept chunk leaves the block 5,000 bytes of room.
        let (buf, _) = rb.target(false, 65536);
        buf.extend_from_slice(&[1; ARENA - 5000]);
        let kept = rb.take(false);
        // A 10,000-byte large read is copied: into a fresh block, from its start.
        let (buf, _) = rb.target(true, 65536);
        buf.extend_from_slice(&[2; 10000]);
        let copied = rb.take(true);
        assert!(copied.len() == 10000 && copied.iter().all(|&x| x == 2));
        assert!(kept.iter().all(|&x| x == 1));
        let (_, room) = rb.target(false, 65536);
        assert_eq!(room, ARENA - 10000);
    }

    #[test]
    fn a_full_block_is_replaced_and_old_chunks_stay_valid() {
        let mut rb = ReadBuf::default();
        let mut kept = Vec::new();
        for i in 0..(3 * ARENA / 1000) {
            let (buf, _) = rb.target(true, 65536);
            buf.extend_from_slice(&vec![i as u8; 1000]);
            kept.push(rb.take(true));
        }
        for (i, c) in kept.iter().enumerate() {
            assert_eq!(c.len(), 1000);
            assert!(c.iter().all(|&x| x == i as u8));
        }
    }
}
