package io.pep.dashboard;

import java.text.ParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.quartz.CronExpression;

/** When the scheduled CSV drop and upload run next: the same Quartz cron the export routes use. */
public record ExportSchedule(boolean csvEnabled, String csvCron, boolean uploadEnabled, String uploadCron) {

    /** {"csv": {"enabled", "cron", "next": epoch ms or null}, "upload": {...}}. */
    public Map<String, Object> next(Date after) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("csv", one(csvEnabled, csvCron, after));
        answer.put("upload", one(uploadEnabled, uploadCron, after));
        return answer;
    }

    private static Map<String, Object> one(boolean enabled, String cron, Date after) {
        Map<String, Object> kind = new LinkedHashMap<>();
        kind.put("enabled", enabled);
        kind.put("cron", cron);
        Date next = null;
        if (enabled && cron != null) {
            try {
                next = new CronExpression(cron.strip()).getNextValidTimeAfter(after);
            } catch (ParseException e) {
                next = null; // pep's start-up already refused a cron Quartz cannot read; nothing to show here
            }
        }
        kind.put("next", next == null ? null : next.getTime());
        return kind;
    }
}
