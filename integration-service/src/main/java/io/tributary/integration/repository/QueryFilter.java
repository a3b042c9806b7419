package io.tributary.integration.repository;

import io.quarkus.panache.common.Parameters;

/** An HQL condition built from optional filters: a filter whose value is null adds nothing. */
final class QueryFilter {

    private final StringBuilder hql;
    private final Parameters parameters = new Parameters();

    private QueryFilter(String always) {
        this.hql = new StringBuilder(always);
    }

    static QueryFilter where(String always) {
        return new QueryFilter(always);
    }

    /** Starts with a condition that always applies, binding {@code :name}. */
    static QueryFilter where(String always, String name, Object value) {
        QueryFilter filter = new QueryFilter(always);
        filter.parameters.and(name, value);
        return filter;
    }

    /** Adds {@code and <condition>} binding {@code :name}, when {@code value} is given. */
    QueryFilter and(String condition, String name, Object value) {
        if (value != null) {
            hql.append(" and ").append(condition);
            parameters.and(name, value);
        }
        return this;
    }

    String hql() {
        return hql.toString();
    }

    Parameters parameters() {
        return parameters;
    }
}
