package io.pep.export;

/** An upload run cannot start: the portal's URL or API key is not set; an operator must set them. */
public class PortalNotConfigured extends RuntimeException {

    public PortalNotConfigured() {
        super("Portal upload is not configured: set pep.portal.url and pep.portal.api-key"
                + " (PEP_PORTAL_URL, PEP_PORTAL_API_KEY)");
    }
}
