// Maven reference (Debian's maven-artifact 3.8): same protocol as main.swift.
import java.io.*;
import org.apache.maven.artifact.versioning.*;

public class MavenCheck {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, "UTF-8")));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) continue;
            String[] f = line.split("\t", -1);
            if (f[0].equals("cmp")) {
                int c = new ComparableVersion(f[2]).compareTo(new ComparableVersion(f[3]));
                out.println(Integer.signum(c));
            } else if (f[0].equals("valid")) {
                out.println("1");
            } else if (f[0].equals("range")) {
                VersionRange r;
                try { r = VersionRange.createFromVersionSpec(f[2]); }
                catch (Exception e) { out.println("E"); continue; }
                out.println(r.containsVersion(new DefaultArtifactVersion(f[3])) ? "1" : "0");
            }
        }
        out.flush();
    }
}
