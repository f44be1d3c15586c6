package io.pep.injector;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * When one certificate of the FCU config stops being usable, and what an operator is told about
 * it. The same rules serve {@link FcuConfig} (pep's injector), {@link FcuToolCheck} (the vendor's
 * tool) and, in shell, fcu-config-validator.sh: expired is a problem, expiring within the warning
 * period (30 days unless configured) is a warning that names the date.
 *
 * @param role        what the certificate is, in words ("update-auth certificate")
 * @param file        where it was read from
 * @param notAfter    its last valid instant
 * @param whenExpired what goes wrong once it has expired
 */
public record CertificateValidity(String role, Path file, Instant notAfter, String whenExpired) {

    /** How long before a certificate expires pep starts warning, unless configured otherwise. */
    public static final Duration DEFAULT_WARNING_PERIOD = Duration.ofDays(30);
    /** The environment variable (and, as {@code pep.fcu.expiry-warning-days}, the property) that sets it. */
    public static final String WARNING_DAYS_VARIABLE = "PEP_FCU_EXPIRY_WARNING_DAYS";

    public static CertificateValidity updateAuth(Path file, X509Certificate certificate) {
        return new CertificateValidity("update-auth certificate", file, notAfter(certificate),
                "the gateways' factory client (FCC) refuses every gateway with ReturnStatus 13 "
                        + "Certificate expired:mbed.UpdateAuthCert");
    }

    /** Why pep refuses to start with an update-auth certificate FCC cannot parse ({@link FccCertificateProfile}). */
    public static String updateAuthUnusable(Path file, String mismatch) {
        return file + ": the update-auth certificate " + mismatch + ". The gateways' factory client (FCC) would refuse "
                + "every gateway with ReturnStatus 18 " + FccCertificateProfile.UNPARSEABLE_TEXT + ":mbed.UpdateAuthCert; "
                + "replace it with one FCC can use (the update certificate of your firmware-signing key)";
    }

    /** The start-up warning for an update-auth certificate whose notBefore is still ahead. */
    public static Optional<String> updateAuthNotYetValid(Path file, X509Certificate certificate, Instant now) {
        if (!FccCertificateProfile.notYetValid(certificate, now)) {
            return Optional.empty();
        }
        return Optional.of(file + ": the update-auth certificate is not valid before " + certificate.getNotBefore().toInstant()
                + "; until then FCC accepts each gateway with the warning " + FccCertificateProfile.NOT_YET_VALID_WARNING
                + ":mbed.UpdateAuthCert (check this station's clock and the certificate's dates)");
    }

    public static CertificateValidity bootstrapServerCa(Path file, X509Certificate certificate) {
        // the real FCC stores it without looking at its dates (SPEC §7); the gateway then fails later,
        // when it connects to a bootstrap server it can no longer trust
        return new CertificateValidity("bootstrap server CA certificate", file, notAfter(certificate),
                "gateways are provisioned but cannot trust their bootstrap server (FCC does not check it, "
                        + "the connection to Device Management fails)");
    }

    public static CertificateValidity factoryCa(Path file, X509Certificate certificate) {
        return new CertificateValidity("factory CA certificate", file, notAfter(certificate),
                "no device certificate can be issued with it");
    }

    public boolean expiredAt(Instant now) {
        return now.isAfter(notAfter);
    }

    public boolean expiresWithin(Duration period, Instant now) {
        return !expiredAt(now) && now.plus(period).isAfter(notAfter);
    }

    /** Whole days from {@code now} to notAfter. */
    public long daysLeft(Instant now) {
        return Duration.between(now, notAfter).toDays();
    }

    /** The UTC day of notAfter, ISO form. */
    public LocalDate date() {
        return LocalDate.ofInstant(notAfter, ZoneOffset.UTC);
    }

    /** The problem to report, or empty while it is valid. */
    public Optional<String> problem(Instant now) {
        if (!expiredAt(now)) {
            return Optional.empty();
        }
        return Optional.of(file + ": the " + role + " expired on " + date() + " (notAfter " + notAfter + "); "
                + whenExpired);
    }

    /** The near-expiry warning, or empty when it is valid for longer than {@code period} (or already expired). */
    public Optional<String> warning(Duration period, Instant now) {
        if (!expiresWithin(period, now)) {
            return Optional.empty();
        }
        return Optional.of(file + ": the " + role + " expires on " + date() + ", in " + daysLeft(now)
                + " day(s) (notAfter " + notAfter + "); renew it before then, or " + whenExpired);
    }

    /**
     * The start-up line saying how long a configuration stays valid, e.g.
     * {@code FCU configuration valid until 2027-03-01 (92 days): update-auth certificate}; the
     * certificate that expires first is named.
     */
    public static String summary(List<CertificateValidity> certificates, Instant now) {
        Optional<CertificateValidity> first = certificates.stream()
                .min(Comparator.comparing(CertificateValidity::notAfter));
        if (first.isEmpty()) {
            return "FCU configuration: no certificate with an expiry date";
        }
        CertificateValidity soonest = first.get();
        if (soonest.expiredAt(now)) {
            return "FCU configuration expired on " + soonest.date() + ": " + soonest.role();
        }
        return "FCU configuration valid until " + soonest.date() + " (" + soonest.daysLeft(now) + " days): "
                + soonest.role();
    }

    /**
     * The warning period from a number of days (the value of {@value #WARNING_DAYS_VARIABLE} or
     * {@code pep.fcu.expiry-warning-days}); the default when it is null or blank.
     *
     * @throws IllegalArgumentException for a value that is not a whole number of days, 0 or more
     */
    public static Duration warningPeriod(String days) {
        if (days == null || days.isBlank()) {
            return DEFAULT_WARNING_PERIOD;
        }
        try {
            long value = Long.parseLong(days.trim());
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return Duration.ofDays(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(WARNING_DAYS_VARIABLE + " must be a whole number of days (0 or more), "
                    + "got " + days, e);
        }
    }

    private static Instant notAfter(X509Certificate certificate) {
        return certificate.getNotAfter().toInstant();
    }
}
