package io.pep.injector;

/** Item names FCC knows (mbed-cloud-client {@code fcc_bundle_fields.h} / KCM parameter names). */
public final class FccItemNames {
    public static final String USE_BOOTSTRAP = "mbed.UseBootstrap";
    public static final String FIRST_TO_CLAIM = "mbed.FirstToClaim";
    public static final String ENDPOINT_NAME = "mbed.EndpointName";
    public static final String ACCOUNT_ID = "mbed.AccountID";
    public static final String MANUFACTURER = "mbed.Manufacturer";
    public static final String MODEL_NUMBER = "mbed.ModelNumber";
    public static final String DEVICE_TYPE = "mbed.DeviceType";
    public static final String HARDWARE_VERSION = "mbed.HardwareVersion";
    public static final String MEMORY_TOTAL_KB = "mbed.MemoryTotalKB";
    public static final String SERIAL_NUMBER = "mbed.SerialNumber";
    public static final String CURRENT_TIME = "mbed.CurrentTime";
    public static final String TIMEZONE = "mbed.Timezone";
    public static final String UTC_OFFSET = "mbed.UTCOffset";
    public static final String BOOTSTRAP_SERVER_CA_CERT = "mbed.BootstrapServerCACert";
    public static final String BOOTSTRAP_SERVER_CRL = "mbed.BootstrapServerCRL";
    public static final String BOOTSTRAP_SERVER_URI = "mbed.BootstrapServerURI";
    public static final String BOOTSTRAP_DEVICE_CERT = "mbed.BootstrapDeviceCert";
    public static final String BOOTSTRAP_DEVICE_PRIVATE_KEY = "mbed.BootstrapDevicePrivateKey";
    public static final String LWM2M_SERVER_URI = "mbed.LwM2MServerURI";
    public static final String UPDATE_AUTH_CERT = "mbed.UpdateAuthCert";
    public static final String CLASS_ID = "mbed.ClassId";
    public static final String VENDOR_ID = "mbed.VendorId";

    private FccItemNames() {
    }
}
