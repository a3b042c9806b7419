package io.tributary.sandbox.service;

/** Plaid's error object ({@code PlaidError}, shared/providers.md 2.1), answered with its HTTP status. */
public class PlaidError extends RuntimeException {

    private final int status;
    private final String errorType;
    private final String errorCode;
    private final String displayMessage;

    public PlaidError(int status, String errorType, String errorCode, String errorMessage, String displayMessage) {
        super(errorMessage);
        this.status = status;
        this.errorType = errorType;
        this.errorCode = errorCode;
        this.displayMessage = displayMessage;
    }

    public static PlaidError missingField(String field) {
        return new PlaidError(400, "INVALID_REQUEST", "MISSING_FIELDS",
                "the following required fields are missing: " + field, null);
    }

    public static PlaidError invalidField(String message) {
        return new PlaidError(400, "INVALID_REQUEST", "INVALID_FIELD", message, null);
    }

    public static PlaidError invalidAccessToken() {
        return new PlaidError(400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN",
                "provided access token is in an invalid format. expected format: access-<environment>-<identifier>",
                null);
    }

    public static PlaidError itemLoginRequired() {
        return new PlaidError(400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED",
                "the login details of this item have changed (credentials, MFA, or required user action) and a user "
                        + "login is required to update this information. use Link's update mode to restore the item "
                        + "to a good state", "The login details of this item have changed");
    }

    public static PlaidError mutationDuringPagination() {
        return new PlaidError(400, "TRANSACTIONS_ERROR", "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
                "Underlying transaction data changed since last page was fetched. Please restart pagination from "
                        + "last update.", null);
    }

    public int status() {
        return status;
    }

    public String errorType() {
        return errorType;
    }

    public String errorCode() {
        return errorCode;
    }

    public String displayMessage() {
        return displayMessage;
    }
}
