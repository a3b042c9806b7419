package io.tributary.sandbox.service;

import io.tributary.sandbox.config.SandboxConfig;
import io.tributary.sandbox.service.TransactionGenerator.Account;
import io.tributary.sandbox.service.TransactionGenerator.Transaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plaid Items in memory: Link tokens, public tokens (single use, 30 minutes) and access tokens
 * (never expire; gone with {@code /item/remove}), and each Item's transaction history as one
 * ordered stream of changes — its generated history first, then what churn added, modified and
 * removed — which {@code /transactions/sync} pages through with an opaque cursor.
 */
@ApplicationScoped
public class PlaidItems {

    private static final Duration PUBLIC_TOKEN_LIFETIME = Duration.ofMinutes(30);
    private static final Duration LINK_TOKEN_LIFETIME = Duration.ofHours(4);

    private final SandboxConfig.Plaid config;
    private final Map<String, Item> byAccessToken = new ConcurrentHashMap<>();
    private final Map<String, Item> byId = new ConcurrentHashMap<>();
    private final Map<String, PublicToken> publicTokens = new ConcurrentHashMap<>();
    private final Map<String, LinkToken> linkTokens = new ConcurrentHashMap<>();

    public PlaidItems(SandboxConfig config) {
        this.config = config.plaid();
    }

    /** How much data an Item has, and from what seed. */
    public record Volume(int accounts, int transactionsPerAccount, long seed, LocalDate anchor, String currency) {
    }

    public record LinkToken(String token, Instant expiration, String webhook, String clientUserId) {
    }

    record PublicToken(Item item, Instant expiresAt) {
    }

    /** One change in an Item's stream: exactly one of added, modified, removed. */
    public record Change(Transaction added, Transaction modified, Transaction removed) {
    }

    /** A page of {@code /transactions/sync}. */
    public record SyncPage(List<Account> accounts, List<Transaction> added, List<Transaction> modified,
            List<Transaction> removed, String nextCursor, boolean hasMore) {
    }

    public static final class Item {
        final String itemId;
        final String institutionId;
        final Volume volume;
        final List<Change> churn = new CopyOnWriteArrayList<>();
        final Set<Long> removedIndexes = ConcurrentHashMap.newKeySet();
        volatile String accessToken;
        volatile String webhook;
        volatile boolean loginRequired;
        volatile int churnRounds;
        final Map<Integer, Integer> postedPerAccount = new ConcurrentHashMap<>();
        final Map<Integer, Long> addedPerAccount = new ConcurrentHashMap<>();

        Item(String itemId, String institutionId, Volume volume, String webhook) {
            this.itemId = itemId;
            this.institutionId = institutionId;
            this.volume = volume;
            this.webhook = webhook;
        }

        public String itemId() {
            return itemId;
        }

        public String institutionId() {
            return institutionId;
        }

        public String webhook() {
            return webhook;
        }

        public String accessToken() {
            return accessToken;
        }

        public Volume volume() {
            return volume;
        }

        public boolean loginRequired() {
            return loginRequired;
        }

        long historySize() {
            return (long) volume.accounts() * volume.transactionsPerAccount();
        }

        long streamSize() {
            return historySize() + churn.size();
        }
    }

    public Volume defaultVolume() {
        return new Volume(config.accountsPerItem(), config.transactionsPerAccount(), 42L,
                LocalDate.now(ZoneOffset.UTC), "USD");
    }

    public LinkToken createLinkToken(String webhook, String clientUserId) {
        LinkToken token = new LinkToken("link-sandbox-" + java.util.UUID.randomUUID(),
                Instant.now().plus(LINK_TOKEN_LIFETIME), webhook, clientUserId);
        linkTokens.put(token.token(), token);
        return token;
    }

    /** A new Item, as a finished Link would leave it; answers its public token. */
    public String createItem(String institutionId, Volume volume, String webhook) {
        Item item = new Item(Tokens.opaque("", 27).replace('-', 'x').replace('_', 'y'), institutionId, volume,
                webhook);
        byId.put(item.itemId, item);
        String publicToken = "public-sandbox-" + java.util.UUID.randomUUID();
        publicTokens.put(publicToken, new PublicToken(item, Instant.now().plus(PUBLIC_TOKEN_LIFETIME)));
        return publicToken;
    }

    /** Exchanges a public token once; answers the Item, now with its access token. */
    public Item exchange(String publicToken) {
        PublicToken token = publicToken == null ? null : publicTokens.remove(publicToken);
        if (token == null || Instant.now().isAfter(token.expiresAt())) {
            throw new PlaidError(400, "INVALID_INPUT", "INVALID_PUBLIC_TOKEN",
                    "provided public token is expired. Public tokens expire 30 minutes after creation at which "
                            + "point they can no longer be exchanged", null);
        }
        Item item = token.item();
        item.accessToken = "access-sandbox-" + java.util.UUID.randomUUID();
        byAccessToken.put(item.accessToken, item);
        return item;
    }

    public Item byAccessToken(String accessToken) {
        if (accessToken == null || accessToken.isBlank()) {
            throw PlaidError.missingField("access_token");
        }
        Item item = byAccessToken.get(accessToken);
        if (item == null) {
            throw PlaidError.invalidAccessToken();
        }
        return item;
    }

    public Optional<Item> byId(String itemId) {
        return Optional.ofNullable(byId.get(itemId));
    }

    /** A usable Item: one that needs its user to log in again answers ITEM_LOGIN_REQUIRED. */
    public Item usable(String accessToken) {
        Item item = byAccessToken(accessToken);
        if (item.loginRequired) {
            throw PlaidError.itemLoginRequired();
        }
        return item;
    }

    public void remove(Item item) {
        byAccessToken.remove(item.accessToken);
        byId.remove(item.itemId);
    }

    public void requireLogin(Item item, boolean required) {
        item.loginRequired = required;
    }

    public List<Account> accounts(Item item) {
        List<Account> accounts = new ArrayList<>();
        for (int k = 0; k < item.volume.accounts(); k++) {
            accounts.add(TransactionGenerator.account(item.volume.seed(), k, item.volume.currency()));
        }
        return accounts;
    }

    public SyncPage sync(Item item, String cursor, int count) {
        long from = position(item, cursor);
        long total = item.streamSize();
        long to = Math.min(total, from + count);
        List<Transaction> added = new ArrayList<>();
        List<Transaction> modified = new ArrayList<>();
        List<Transaction> removed = new ArrayList<>();
        long history = item.historySize();
        for (long position = from; position < to; position++) {
            if (position < history) {
                added.add(historyTransaction(item, position));
            } else {
                Change change = item.churn.get((int) (position - history));
                if (change.added() != null) {
                    added.add(change.added());
                } else if (change.modified() != null) {
                    modified.add(change.modified());
                } else {
                    removed.add(change.removed());
                }
            }
        }
        return new SyncPage(accounts(item), added, modified, removed, cursor(item, to), to < total);
    }

    /** Whether a cursor is an earlier page than the Item's end: a run is in progress. */
    public boolean midRun(Item item, String cursor) {
        return cursor != null && !cursor.isEmpty() && position(item, cursor) < item.streamSize();
    }

    /** Adds, modifies, removes and posts pending transactions; the next sync returns exactly these. */
    public synchronized List<Change> churn(Item item, int adds, int modifications, int removals, int postings) {
        Volume volume = item.volume;
        SplittableRandom random = new SplittableRandom(TransactionGenerator.mix(volume.seed(), ++item.churnRounds,
                0xC4));
        List<Change> changes = new ArrayList<>();
        int perAccount = volume.transactionsPerAccount();
        for (int n = 0; n < adds; n++) {
            int account = random.nextInt(volume.accounts());
            long index = perAccount + item.addedPerAccount.merge(account, 1L, Long::sum) - 1;
            changes.add(new Change(TransactionGenerator.transaction(volume.seed(), account, index, perAccount,
                    volume.anchor(), volume.currency()), null, null));
        }
        Set<Long> touched = new HashSet<>();
        int settled = Math.max(0, perAccount - TransactionGenerator.PENDING_PER_ACCOUNT);
        for (int n = 0; n < modifications + removals && settled > 0; n++) {
            long position = pick(random, item, settled, touched);
            if (position < 0) {
                break;
            }
            Transaction current = historyTransaction(item, position);
            if (n < modifications) {
                changes.add(new Change(null, current.withChange(current.amount().add(new BigDecimal("1.00")),
                        current.name() + " (adjusted)"), null));
            } else {
                item.removedIndexes.add(position);
                changes.add(new Change(null, null, current));
            }
        }
        for (int n = 0; n < postings; n++) {
            int account = random.nextInt(volume.accounts());
            int posted = item.postedPerAccount.getOrDefault(account, 0);
            if (posted >= Math.min(TransactionGenerator.PENDING_PER_ACCOUNT, perAccount)) {
                continue;
            }
            item.postedPerAccount.put(account, posted + 1);
            long index = perAccount - Math.min(TransactionGenerator.PENDING_PER_ACCOUNT, perAccount) + posted;
            Transaction pending = TransactionGenerator.transaction(volume.seed(), account, index, perAccount,
                    volume.anchor(), volume.currency());
            changes.add(new Change(null, null, pending));
            changes.add(new Change(pending.posted(TransactionGenerator.id(volume.seed(), account, index, 0x9057)),
                    null, null));
        }
        item.churn.addAll(changes);
        return changes;
    }

    /** A settled history transaction not touched in this round nor removed before. */
    private static long pick(SplittableRandom random, Item item, int settled, Set<Long> touched) {
        for (int attempt = 0; attempt < 64; attempt++) {
            int account = random.nextInt(item.volume.accounts());
            long index = random.nextInt(settled);
            long position = index * item.volume.accounts() + account;
            if (!item.removedIndexes.contains(position) && touched.add(position)) {
                return position;
            }
        }
        return -1;
    }

    private static Transaction historyTransaction(Item item, long position) {
        Volume volume = item.volume;
        int account = (int) (position % volume.accounts());
        long index = position / volume.accounts();
        return TransactionGenerator.transaction(volume.seed(), account, index, volume.transactionsPerAccount(),
                volume.anchor(), volume.currency());
    }

    private static String cursor(Item item, long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((item.itemId + ":" + position).getBytes(StandardCharsets.UTF_8));
    }

    private static long position(Item item, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = decoded.lastIndexOf(':');
            long position = Long.parseLong(decoded.substring(colon + 1));
            if (colon <= 0 || !decoded.substring(0, colon).equals(item.itemId) || position < 0
                    || position > item.streamSize()) {
                throw new IllegalArgumentException();
            }
            return position;
        } catch (RuntimeException e) {
            throw PlaidError.invalidField("cursor is not a cursor this item returned");
        }
    }
}
