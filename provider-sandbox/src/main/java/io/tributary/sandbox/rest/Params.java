package io.tributary.sandbox.rest;

/** Query parameters as the providers' APIs read them; each API answers a bad one in its own error shape. */
final class Params {

    private Params() {
    }

    /**
     * A whole number from 1 to {@code max}, {@code fallback} when absent; anything else is an
     * {@link IllegalArgumentException} naming the parameter.
     */
    static int positive(String value, String name, int fallback, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= 1 && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw new IllegalArgumentException(name + " must be an integer from 1 to " + max);
    }
}
