//! The loop's read buffers: where every socket's kernel reads land.
//!
//! A socket reads into `buf`, one buffer the whole loop shares, with up to 64 KiB of room
//! per read (libuv's read size), and keeps only what arrived:
//!
//! - a read of 4 KiB or more is split off `buf` as is, without a copy (the next read goes
//!   into fresh space, and the block is freed once its chunks are dropped);
//! - a smaller one is copied into `arena`, a 16 KiB block that many small chunks share, and
//!   split off that. A small chunk so costs a short copy and a reference count, not an
//!   allocation and a free of its own (the echo and request/response cases, where this was
//!   a sixth of the work per message), and `buf` is reused from its start.
//!
//! The price of the arena: a small chunk kept alive keeps its 16 KiB block alive, shared
//! with the chunks cut before and after it. Queues a socket keeps (data waiting to be read
//! or written) hold chunks cut one after another, so they fill the blocks they pin; a user
//! who keeps many single small chunks for a long time should copy them
//! (`Bytes::copy_from_slice`).

use bytes::{Bytes, BytesMut};

/// Reads below this size are copied into the arena; larger ones are handed out as a slice
/// of the read buffer.
pub(crate) const COPY_BELOW: usize = 4096;

/// Size of one arena block.
const ARENA: usize = 16 * 1024;

/// The loop's read buffer and small-chunk arena.
#[derive(Default)]
pub(crate) struct ReadBuf {
    /// Where reads land.
    pub(crate) buf: BytesMut,
    arena: BytesMut,
}

impl ReadBuf {
    /// Take what the last read put in `buf` (see the module docs).
    pub(crate) fn take(&mut self) -> Bytes {
        let n = self.buf.len();
        if n >= COPY_BELOW {
            return self.buf.split().freeze();
        }
        if self.arena.capacity() < n {
            self.arena = BytesMut::with_capacity(ARENA);
        }
        self.arena.extend_from_slice(&self.buf);
        self.buf.clear();
        self.arena.split().freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_reads_share_a_block_and_large_ones_are_not_copied() {
        let mut rb = ReadBuf::default();
        rb.buf.extend_from_slice(b"hello");
        let a = rb.take();
        rb.buf.extend_from_slice(b"world!");
        let b = rb.take();
        assert_eq!((&a[..], &b[..]), (&b"hello"[..], &b"world!"[..]));
        // Cut one after the other from the same block.
        assert_eq!(a.as_ptr().wrapping_add(5), b.as_ptr());
        assert!(rb.buf.is_empty());

        rb.buf.extend_from_slice(&vec![7u8; COPY_BELOW]);
        let at = rb.buf.as_ptr();
        let big = rb.take();
        assert_eq!(big.as_ptr(), at);
        assert_eq!(big.len(), COPY_BELOW);
    }

    #[test]
    fn a_full_block_is_replaced_and_old_chunks_stay_valid() {
        let mut rb = ReadBuf::default();
        let mut kept = Vec::new();
        for i in 0..(3 * ARENA / 1000) {
            rb.buf.extend_from_slice(&vec![i as u8; 1000]);
            kept.push(rb.take());
        }
        for (i, c) in kept.iter().enumerate() {
            assert_eq!(c.len(), 1000);
            assert!(c.iter().all(|&x| x == i as u8));
        }
    }
}
