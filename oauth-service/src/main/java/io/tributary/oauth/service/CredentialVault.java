package io.tributary.oauth.service;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import io.tributary.oauth.config.OAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Encrypts every secret with Tink AEAD (AES-256-GCM). The associated data binds a ciphertext to
 * its integration and column, so a ciphertext copied to another row or column does not decrypt.
 * Tink writes the key id into each ciphertext: the primary key encrypts, every key of the keyset
 * still decrypts, which makes rotation a configuration change.
 */
@ApplicationScoped
public class CredentialVault {

    /** The columns a secret can live in; part of the associated data. */
    public enum Field { ACCESS_TOKEN, REFRESH_TOKEN, API_SECRET, CODE_VERIFIER }

    private static final int TINK_PREFIX_LENGTH = 5;

    private final Aead aead;
    private final int primaryKeyId;
    private final Set<Integer> keyIds = new HashSet<>();

    @Inject
    public CredentialVault(OAuthConfig config) {
        this(config.vault().keyset());
    }

    /** A vault over a keyset given as Tink JSON. */
    public CredentialVault(String keysetJson) {
        try {
            AeadConfig.register();
            KeysetHandle keyset = TinkJsonProtoKeysetFormat.parseKeyset(keysetJson, InsecureSecretKeyAccess.get());
            this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
            this.primaryKeyId = keyset.getPrimary().getId();
            for (int i = 0; i < keyset.size(); i++) {
                keyIds.add(keyset.getAt(i).getId());
            }
        } catch (GeneralSecurityException e) {
            // the message could describe key material: say only what is wrong
            throw new IllegalStateException("oauth.vault.keyset is not a valid Tink AEAD keyset");
        }
    }

    public byte[] encrypt(String plaintext, UUID owner, Field field) {
        try {
            return aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), associatedData(owner, field));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption of " + field + " failed");
        }
    }

    public String decrypt(byte[] ciphertext, UUID owner, Field field) {
        try {
            return new String(aead.decrypt(ciphertext, associatedData(owner, field)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new VaultException("The " + field + " of " + owner + " does not decrypt with this keyset");
        }
    }

    /** The id of the key that encrypts new secrets. */
    public long primaryKeyId() {
        return Integer.toUnsignedLong(primaryKeyId);
    }

    public Set<Long> keyIds() {
        Set<Long> ids = new HashSet<>();
        keyIds.forEach(id -> ids.add(Integer.toUnsignedLong(id)));
        return ids;
    }

    /** The key id Tink wrote into a ciphertext (after the version byte). */
    public static long keyIdOf(byte[] ciphertext) {
        if (ciphertext.length < TINK_PREFIX_LENGTH) {
            throw new VaultException("Not a Tink ciphertext");
        }
        return Integer.toUnsignedLong(ByteBuffer.wrap(ciphertext, 1, 4).getInt());
    }

    private static byte[] associatedData(UUID owner, Field field) {
        return (owner + "/" + field.name().toLowerCase()).getBytes(StandardCharsets.UTF_8);
    }

    /** A ciphertext that does not decrypt: wrong key set, wrong row, or tampered. Never carries plaintext. */
    public static class VaultException extends RuntimeException {
        public VaultException(String message) {
            super(message);
        }
    }
}
