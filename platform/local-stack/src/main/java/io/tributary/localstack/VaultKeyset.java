package io.tributary.localstack;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The local stack's Tink keysets (oauth-service's vault, webhook-gateway's endpoint secrets):
 * generated on first start and kept in the stack directory (owner-only), so local secrets survive
 * a restart. Never committed.
 */
final class VaultKeyset {

    private VaultKeyset() {
    }

    static String generate() throws Exception {
        AeadConfig.register();
        return TinkJsonProtoKeysetFormat.serializeKeyset(
                KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get());
    }

    static String loadOrCreate(Path stackDir, String name) throws Exception {
        Path file = stackDir.resolve(name + "-keyset.json");
        if (Files.exists(file)) {
            return Files.readString(file);
        }
        Files.createDirectories(stackDir);
        Files.writeString(file, generate());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return Files.readString(file);
    }
}
