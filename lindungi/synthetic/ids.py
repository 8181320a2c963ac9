"""Primary keys and encryption nonces for synthetic rows, with the operating system's randomness
drawn in bulk.

`uuid7()` asks the operating system for 10 random bytes per id; at twenty rows per case that
system call was an eighth of the generator's CPU. `Uuid7Source` takes the randomness for 4,096 ids
in one call and is otherwise the same: RFC 9562 version 7, the current Unix time in milliseconds in
the top 48 bits (so ids stay ordered by time of making), version and variant bits, 74 random bits
from `os.urandom`. A test holds its layout to `uuid7`'s. The pool is per process and dropped in a
forked child (`os.register_at_fork`), so two writer processes never share random bits; it is not
for threads (the generator's writers are processes).

`random_bytes(n)` is `os.urandom(n)` served from a pool of 48 KiB drawn at once, for the random
96-bit nonce of every value the generator encrypts (`crypto.cipher.sealer`): a system call per value
was about a tenth of a writer's CPU. It hands out each byte of a draw once, never again; like the
ids, it is per process, dropped in a forked child, and not for threads.
"""

from __future__ import annotations

import os
import time
import uuid

_RANDOM_BITS = (0xFFF << 64) | ((1 << 62) - 1)  # rand_a (12 bits) and rand_b (62 bits)
_VERSION_AND_VARIANT = (0x7 << 76) | (0b10 << 62)
_BYTES_PER_ID = 10
_IDS_PER_DRAW = 4096


class Uuid7Source:
    def __init__(self):
        self._pool = b""
        self._next = 0

    def forget(self) -> None:
        self._pool, self._next = b"", 0

    def __call__(self) -> uuid.UUID:
        at = self._next
        if at >= len(self._pool):
            self._pool, at = os.urandom(_BYTES_PER_ID * _IDS_PER_DRAW), 0
        self._next = at + _BYTES_PER_ID
        random_bits = int.from_bytes(self._pool[at:at + _BYTES_PER_ID], "big") & _RANDOM_BITS
        return uuid.UUID(int=(time.time_ns() // 1_000_000 & 0xFFFF_FFFF_FFFF) << 80 | random_bits | _VERSION_AND_VARIANT)


class RandomBytes:
    def __init__(self, pool_size: int = 48 * 1024):
        self._pool_size = pool_size
        self.forget()

    def forget(self) -> None:
        self._pool, self._next = b"", 0

    def __call__(self, count: int) -> bytes:
        at = self._next
        if at + count > len(self._pool):
            self._pool, at = os.urandom(max(self._pool_size, count)), 0
        self._next = at + count
        return self._pool[at:at + count]


uuid7 = Uuid7Source()
random_bytes = RandomBytes()
os.register_at_fork(after_in_child=uuid7.forget)
os.register_at_fork(after_in_child=random_bytes.forget)
