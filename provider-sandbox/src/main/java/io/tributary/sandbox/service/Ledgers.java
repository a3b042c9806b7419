package io.tributary.sandbox.service;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Generated books of records for the APIs that list records by time (Stripe, PayPal, Xero,
 * QuickBooks, amoCRM, YCLIENTS). Record i of a book is computed from the book's seed and i, never
 * stored, so the same seed gives the same records and a million cost no memory. The history spreads
 * over the two years before the book was opened, oldest first; churn appends records created now and
 * changes or deletes existing ones, and only those changes are held.
 */
@ApplicationScoped
public class Ledgers {

    static final Duration HISTORY = Duration.ofDays(730);

    /** A book: one collection (e.g. Xero's BankTransactions) of one connected account. */
    public static final class Book {
        private final String key;
        private final long seed;
        private final long history;
        private final Instant opened;
        private final List<Instant> added = new CopyOnWriteArrayList<>();
        private final Map<Long, Change> changes = new ConcurrentSkipListMap<>();
        private Instant lastChange;

        Book(String key, long seed, long history, Instant opened) {
            this.key = key;
            this.seed = seed;
            this.history = history;
            this.opened = opened;
            this.lastChange = opened;
        }

        public String key() {
            return key;
        }

        public long seed() {
            return seed;
        }

        /** Records in the book, history and added, deleted ones included. */
        public long size() {
            return history + added.size();
        }

        public long history() {
            return history;
        }

        public Instant opened() {
            return opened;
        }

        /** When record {@code index} was created: non-decreasing in the index. */
        public Instant created(long index) {
            if (index >= history) {
                return added.get((int) (index - history));
            }
            long span = HISTORY.toMillis();
            // evenly spaced up to one step before the book was opened: nothing in the history is "just now"
            return opened.minusMillis(span - index * span / Math.max(1, history)).truncatedTo(ChronoUnit.SECONDS);
        }

        /** The record at {@code index} in its latest state. */
        public Entry entry(long index) {
            if (index < 0 || index >= size()) {
                throw new IndexOutOfBoundsException(index);
            }
            SplittableRandom random = new SplittableRandom(TransactionGenerator.mix(seed, index, 0x1ED6));
            Instant created = created(index);
            Change change = changes.get(index);
            long amount = random.nextLong(500, 250_000);
            boolean income = random.nextInt(3) > 0;
            Entry base = new Entry(index, created, created, 0, false, income ? amount : -amount,
                    random.nextInt(1 << 30), random.nextLong());
            return change == null ? base : new Entry(index, created, change.updated(), change.version(),
                    change.deleted(), base.amount() + change.amountDelta(), base.pick(), base.salt());
        }

        /** The first index created at or after {@code instant} ({@link #size()} when none). */
        public long firstCreatedAtOrAfter(Instant instant) {
            long low = 0;
            long high = size();
            while (low < high) {
                long middle = (low + high) >>> 1;
                if (created(middle).isBefore(instant)) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        /**
         * The records changed after {@code since} (all when null) and created before {@code until}
         * (no bound when null), in index order: records changed later than their creation come
         * first, then the contiguous run of those created after {@code since}.
         */
        public Selection changedSince(Instant since, Instant until) {
            long to = until == null ? size() : firstCreatedAtOrAfter(until);
            if (since == null) {
                return new Selection(new long[0], 0, to);
            }
            long from = Math.min(to, firstCreatedAtOrAfter(since.plusMillis(1)));
            long[] earlier = changes.entrySet().stream()
                    .filter(change -> change.getKey() < from && change.getValue().updated().isAfter(since))
                    .mapToLong(Map.Entry::getKey).toArray();
            return new Selection(earlier, from, to);
        }

        /** Records created in [{@code from}, {@code until}) (either bound may be null), in index order. */
        public Selection createdBetween(Instant from, Instant until) {
            long start = from == null ? 0 : firstCreatedAtOrAfter(from);
            long end = until == null ? size() : firstCreatedAtOrAfter(until);
            return new Selection(new long[0], start, Math.max(start, end));
        }

        /** The same selection without deleted records: what APIs that hide deletions list. */
        public Selection live(Selection selection) {
            long[] deleted = changes.entrySet().stream().filter(change -> change.getValue().deleted())
                    .mapToLong(Map.Entry::getKey).toArray();
            long[] earlier = java.util.Arrays.stream(selection.earlier())
                    .filter(index -> java.util.Arrays.binarySearch(deleted, index) < 0).toArray();
            long[] skipped = java.util.Arrays.stream(deleted)
                    .filter(index -> index >= selection.from() && index < selection.to()).toArray();
            return new Selection(earlier, selection.from(), selection.to(), skipped);
        }

        /** The instant of the next change: never before the last, so changes keep their order. */
        synchronized Instant nextChange(Instant now) {
            Instant at = now.truncatedTo(ChronoUnit.MILLIS);
            lastChange = at.isAfter(lastChange) ? at : lastChange.plusMillis(1);
            return lastChange;
        }
    }

    /** A record; {@code amount} in minor units, money in positive; {@code pick} and {@code salt} drive the details. */
    public record Entry(long index, Instant created, Instant updated, int version, boolean deleted, long amount,
            int pick, long salt) {

        /** Chooses among {@code options} for this record, the same way every time. */
        public <T> T choose(List<T> options) {
            return options.get(pick % options.size());
        }

        /** A second, independent choice (e.g. a status beside a counterparty). */
        public <T> T chooseAlso(List<T> options) {
            return options.get((int) Math.floorMod(salt, (long) options.size()));
        }
    }

    record Change(Instant updated, int version, boolean deleted, long amountDelta) {
    }

    /**
     * Indexes picked out of a book: the listed {@code earlier} ones, then the run [{@code from},
     * {@code to}) less the sorted {@code skipped} indexes within it.
     */
    public record Selection(long[] earlier, long from, long to, long[] skipped) {

        public Selection(long[] earlier, long from, long to) {
            this(earlier, from, to, new long[0]);
        }

        public long size() {
            return earlier.length + (to - from) - skipped.length;
        }

        /** The book index at {@code position} of this selection. */
        public long index(long position) {
            if (position < earlier.length) {
                return earlier[(int) position];
            }
            long index = from + position - earlier.length;
            for (long skip : skipped) {
                if (skip > index) {
                    break;
                }
                index++;
            }
            return index;
        }
    }

    /** What a churn did, by book index. */
    public record Churned(List<Long> added, List<Long> modified, List<Long> deleted) {
    }

    private final Map<String, Book> books = new ConcurrentHashMap<>();
    private final long defaultRecords;

    public Ledgers(io.tributary.sandbox.config.SandboxConfig config) {
        this.defaultRecords = config.books().records();
    }

    /** The key of one collection of one connected account of a provider. */
    public static String key(String provider, String account, String collection) {
        return provider + "/" + account + "/" + collection;
    }

    /** The book of a collection, opened with the configured volume on first use. */
    public Book book(String provider, String account, String collection) {
        return book(key(provider, account, collection), defaultRecords);
    }

    /** The book under {@code key}, opened now with {@code records} of history on first use. */
    public Book book(String key, long records) {
        return books.computeIfAbsent(key, name -> new Book(name, name.hashCode() * 0x9E3779B97F4A7C15L, records,
                Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    }

    public Optional<Book> find(String key) {
        return Optional.ofNullable(books.get(key));
    }

    /** Replaces a book with one of the given volume and seed: the admin's volume knob. */
    public Book reopen(String key, long records, long seed) {
        Book book = new Book(key, seed, records, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        books.put(key, book);
        return book;
    }

    /**
     * Appends {@code adds} records created now, changes the amount of {@code modifications} live
     * ones and deletes {@code deletions}, each change at its own instant.
     */
    public Churned churn(Book book, int adds, int modifications, int deletions) {
        synchronized (book) {
            SplittableRandom random = new SplittableRandom(book.seed ^ (book.size() * 31 + book.changes.size()));
            List<Long> added = new ArrayList<>();
            for (int n = 0; n < adds; n++) {
                book.added.add(book.nextChange(Instant.now()));
                added.add(book.size() - 1);
            }
            // each record changes once per churn, so every change is one record a client sees changed
            java.util.Set<Long> touched = new java.util.HashSet<>(added);
            List<Long> modified = change(book, random, modifications, false, touched);
            List<Long> deleted = change(book, random, deletions, true, touched);
            return new Churned(added, modified, deleted);
        }
    }

    private static List<Long> change(Book book, SplittableRandom random, int count, boolean delete,
            java.util.Set<Long> touched) {
        List<Long> changed = new ArrayList<>();
        long live = book.size() - touched.size() - book.changes.values().stream().filter(Change::deleted).count();
        for (int n = 0; n < count && live > 0; n++) {
            long index;
            do {
                index = random.nextLong(book.size());
            } while (book.entry(index).deleted() || touched.contains(index));
            touched.add(index);
            live--;
            Change previous = book.changes.get(index);
            int version = previous == null ? 1 : previous.version() + 1;
            long delta = delete ? (previous == null ? 0 : previous.amountDelta())
                    : (previous == null ? 0 : previous.amountDelta()) + 100;
            book.changes.put(index, new Change(book.nextChange(Instant.now()), version, delete, delta));
            changed.add(index);
        }
        return changed;
    }
}
