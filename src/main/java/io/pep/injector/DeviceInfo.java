package io.pep.injector;

/** The device-information items FCC requires in every bundle (fcu.yml {@code device-info}). */
public record DeviceInfo(String manufacturer, String modelNumber, String deviceType, String hardwareVersion,
                         long memoryTotalKb) {
}
