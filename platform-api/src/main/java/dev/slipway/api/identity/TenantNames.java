package dev.slipway.api.identity;

import dev.slipway.api.error.ApiException;
import java.util.regex.Pattern;

/** Tenant names are DNS labels, because they become part of app host names ({@code app.tenant.domain}). */
final class TenantNames {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private TenantNames() {
    }

    static String validate(String name) {
        if (name == null || name.length() < 2 || name.length() > 40 || !DNS_LABEL.matcher(name).matches()) {
            throw ApiException.invalidField("name", "must be 2-40 characters of a-z, 0-9 and '-', not starting or"
                    + " ending with '-'");
        }
        return name;
    }
}
